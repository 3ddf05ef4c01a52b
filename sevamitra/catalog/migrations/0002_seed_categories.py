"""Seed the service catalogue: 17 categories with Hindi/English names and search synonyms.

ONDC category codes (domain ONDC:SRV11, home services) are taken from the enum file
`api/components/enums/category.yaml` of the repository `ONDC-Official/ONDC-SRV-Specifications`
(read at commit 7b0a381d0dc835fe0c50cf93fbc66b66d571c6ac). Where the spec lists several
codes for a trade we use the general one if it has one, otherwise the first of its range:

    painter         SRV11-1000  Wall Painting            (range 1000..1008, walls and floors)
    house cleaning  SRV11-1010  Home Cleaning            (range 1009..1024, cleaning)
    deep cleaning   SRV11-1021  Cleaning Packages        (full-home cleaning bundles)
    electrician     SRV11-1025  Switch and Socket Repair (range 1025..1034, electrician)
    carpenter       SRV11-1035  New Furniture building   (range 1035..1041, carpentry)
    plumber         SRV11-1042  Basin and Sink repair    (range 1042..1052, plumbing)

Left empty, because ONDC:SRV11 has no matching code: AC/appliance repair (its codes,
e.g. SRV10-1001 "Air conditioner Repair", belong to another domain, ONDC:SRV10, which
Sevamitra does not join yet), pest control, gardener, dog walker, babysitter, caregiver,
cook (the spec has a cook flow only with a placeholder code), driver, event planner,
housekeeping/maid (daily domestic help, not a cleaning job) and laundry. The code is an
admin-editable setting per category, so it can be filled in once ONDC publishes one.

Police verification: mandatory for anyone who enters a home to care for children, the sick
or the old, cooks, drives the family, or works inside the home daily — babysitter,
caregiver, cook, driver and housekeeping/maid. Not for one-off trade visits (electrician,
plumber, carpenter, painter, AC repair, cleaning and pest-control crews), nor for work done
outside the home or at the door (gardener, dog walker who collects the dog at the door,
laundry pick-up, event planner). Reviewable by the administrator.

GeM (gem_available): a reviewable default from what GeM lists as service categories —
housekeeping/cleaning, pest control, horticulture/gardening, hiring of drivers (manpower),
AC repair and maintenance, event management: True. Household visits by an electrician,
plumber, carpenter or painter, and the domestic services (dog walker, babysitter, caregiver,
cook, laundry) are not offered as services on GeM: False. Check against the current
GeM category list before government orders go live.

Pricing units follow what local markets quote: trades per visit, painters per day (daily
wage), monthly for regular domestic help (cook, maid, gardener, dog walker), babysitters
per hour, caregivers and drivers per day, event planners per event, laundry per pick-up.
"""

import unicodedata

from django.db import migrations

# One category a line, in display order: slug | group | pricing unit | police verification |
# ONDC code ("-" for none) | offered on GeM | icon.
CATEGORY_TABLE = """
electrician         | trade    | visit | no  | SRV11-1025 | no  | ⚡
plumber             | trade    | visit | no  | SRV11-1042 | no  | 🔧
carpenter           | trade    | visit | no  | SRV11-1035 | no  | 🪚
painter             | trade    | day   | no  | SRV11-1000 | no  | 🖌️
ac-appliance-repair | trade    | visit | no  | -          | yes | ❄️
house-cleaning      | trade    | visit | no  | SRV11-1010 | yes | 🧹
deep-cleaning       | trade    | visit | no  | SRV11-1021 | yes | 🧽
pest-control        | trade    | visit | no  | -          | yes | 🪳
gardener            | trade    | month | no  | -          | yes | 🌱
dog-walker          | domestic | month | no  | -          | no  | 🐕
babysitter          | domestic | hour  | yes | -          | no  | 🍼
caregiver           | domestic | day   | yes | -          | no  | 🧓
cook                | domestic | month | yes | -          | no  | 🍳
driver              | domestic | day   | yes | -          | yes | 🚗
event-planner       | domestic | event | no  | -          | yes | 🎉
housekeeping        | domestic | month | yes | -          | yes | 🪣
laundry             | domestic | visit | no  | -          | no  | 🧺
"""

# slug: (English name, Hindi name)
NAMES = {
    "electrician": ("Electrician", "इलेक्ट्रीशियन"),
    "plumber": ("Plumber", "प्लंबर"),
    "carpenter": ("Carpenter", "बढ़ई"),
    "painter": ("Painter", "पेंटर"),
    "ac-appliance-repair": ("AC & appliance repair", "एसी और उपकरण मरम्मत"),
    "house-cleaning": ("House cleaning", "घर की सफ़ाई"),
    "deep-cleaning": ("Deep cleaning", "गहरी सफ़ाई"),
    "pest-control": ("Pest control", "कीट नियंत्रण"),
    "gardener": ("Gardener", "माली"),
    "dog-walker": ("Dog walker", "कुत्ता घुमाने वाला"),
    "babysitter": ("Babysitter", "बच्चों की देखभाल"),
    "caregiver": ("Caregiver (elderly / patient)", "बुज़ुर्ग व मरीज़ की देखभाल"),
    "cook": ("Cook", "रसोइया"),
    "driver": ("Driver", "ड्राइवर"),
    "event-planner": ("Event planner", "कार्यक्रम आयोजक"),
    "housekeeping": ("Housekeeping / maid", "घरेलू सहायक (कामवाली)"),
    "laundry": ("Laundry", "कपड़ों की धुलाई"),
}

# Words people say or type for each category, comma-separated here, stored one per line.
SYNONYMS = {
    "electrician": (
        "बिजली मिस्त्री, बिजली वाला, बिजलीवाला, बिजली, बिजली का काम, बिजली मैकेनिक, "
        "इलेक्ट्रिशियन, इलेक्ट्रिशन, वायरमैन, वायरिंग, पंखा ठीक करना, bijli wala, bijliwala, "
        "bijli vala, bijli, bijlee wala, bijli mistri, bijli mistry, bijli ka kaam, "
        "bijli mechanic, electric wala, electrition, electricion, electrishan, elctrician, "
        "electritian, ilektrishan, wireman, wiring, light fitting, fan repair, "
        "pankha repair, switch board, mcb, inverter repair"
    ),
    "plumber": (
        "प्लम्बर, प्लमबर, नल वाला, नलवाला, नल मिस्त्री, नल ठीक करना, टोंटी, पाइप फिटर, "
        "पाइप वाला, पानी की टंकी, सीवर, nal wala, nalwala, nal vala, nal mistri, nal theek, "
        "nal ki marammat, tonti, plumbar, plumer, plamber, plambar, palambar, plumbing, "
        "pipe fitter, pipe wala, tap repair, leakage, pani leak, toilet repair, "
        "sanitary fitting, tanki"
    ),
    "carpenter": (
        "बढई, बड़ई, कारपेंटर, कार्पेंटर, लकड़ी का काम, लकड़ी मिस्त्री, फर्नीचर, "
        "फर्नीचर मरम्मत, दरवाजा ठीक करना, badhai, barhai, badai, badhayi, barhayi, "
        "carpentar, carpanter, karpenter, carpentry, lakdi ka kaam, lakdi mistri, furniture, "
        "furniture repair, furniture wala, darwaza repair, almirah repair"
    ),
    "painter": (
        "पेन्टर, रंगाई, रंगाई पुताई, पुताई, पुताई वाला, रंग रोगन, सफेदी, पेंट, घर की पुताई, "
        "rangai, rangai putai, putai, putai wala, rang rogan, safedi, paint, painting, "
        "pentar, paintar, penter, wall painting, ghar ki putai, distemper, waterproofing"
    ),
    "ac-appliance-repair": (
        "एसी, एसी रिपेयर, एसी मैकेनिक, एसी सर्विस, ए सी, कूलर, फ्रिज, फ्रिज रिपेयर, "
        "वाशिंग मशीन, गीजर, माइक्रोवेव, आरओ, उपकरण मरम्मत, ac, ac repair, ac service, "
        "ac mechanic, ac gas, ac installation, aircon, air conditioner, "
        "air conditioner repair, cooler repair, fridge, fridge repair, refrigerator, "
        "washing machine, washing machine repair, geyser, gizer, gyser, microwave, "
        "ro repair, water purifier, appliance repair, electronic repair"
    ),
    "house-cleaning": (
        "सफाई, सफ़ाई, घर सफाई, साफ सफाई, सफाई वाला, बाथरूम सफाई, रसोई की सफाई, "
        "ghar ki safai, ghar safai, safai, saaf safai, safai wala, home cleaning, "
        "house cleaning, cleaning, cleaner, bathroom cleaning, kitchen cleaning, "
        "toilet cleaning, sofa cleaning, carpet cleaning"
    ),
    "deep-cleaning": (
        "डीप क्लीनिंग, पूरे घर की सफाई, सैनिटाइजेशन, दिवाली की सफाई, deep cleaning, "
        "deep clean, deep safai, gahri safai, full home cleaning, full house cleaning, "
        "sanitisation, sanitization, disinfection, move in cleaning, diwali safai"
    ),
    "pest-control": (
        "पेस्ट कंट्रोल, कीड़े मकोड़े, कीड़े मारना, कीड़े, कीड़ा, दीमक, कॉकरोच, खटमल, मच्छर, "
        "चूहे, pest control, pest, keet niyantran, keede makode, keede, keeda, kide, dimak, "
        "deemak, termite, cockroach, kockroach, khatmal, bed bugs, machhar, mosquito, chuhe, "
        "rat control, fumigation"
    ),
    "gardener": (
        "बागवान, बागबान, बागवानी, बाग़बानी, बगीचा, गार्डनर, घास कटाई, पौधे, mali, maali, "
        "malee, maalee, bagwan, baagwan, bagban, bagwani, bagbani, bagicha, bageecha, "
        "garden, gardner, gardenar, gardening, lawn, lawn mowing, ghaas katai, paudhe, "
        "horticulture"
    ),
    "dog-walker": (
        "कुत्ते को घुमाने वाला, कुत्ता घुमाना, डॉग वॉकर, डॉग वाकर, कुत्ता, dog walker, "
        "dogwalker, dog walking, dog walk, dog, pet walker, pet care, kutta ghumane wala, "
        "kutte ko ghumane wala, kutta ghumana, kutta, doggy walker"
    ),
    "babysitter": (
        "आया, बेबीसिटर, बेबी सिटर, बच्चों की आया, बच्चा संभालने वाली, नैनी, aaya, aya, ayah, "
        "babysitter, baby sitter, babysiter, beby sitter, nanny, nany, child care, "
        "childcare, bachcha sambhalna, bacche sambhalne wali, bachon ki dekhbhal, "
        "bacchon ki dekhbhal, creche"
    ),
    "caregiver": (
        "देखभाल, अटेंडेंट, केयरटेकर, मरीज की देखभाल, बुजुर्ग की देखभाल, बुजुर्गों की सेवा, "
        "होम नर्स, नर्सिंग अटेंडेंट, नर्स, dekhbhal, nurse, caretaker, care taker, "
        "caregiver, care giver, attendant, patient care, patient attendant, elderly care, "
        "old age care, home nurse, nursing attendant, buzurg ki dekhbhal, "
        "bujurg ki dekhbhal, mareez ki dekhbhal, marij ki dekhbhal, bujurg sewa"
    ),
    "cook": (
        "खाना बनाने वाला, खाना बनाने वाली, खाना बनाना, कुक, बावर्ची, महाराज, महाराजिन, "
        "रोटी बनाने वाली, khana banane wala, khana banane wali, khana banana, cook, rasoiya, "
        "rasoiyaa, rasoia, rasoiye, bawarchi, bavarchi, maharaj, maharajin, chef, cooking, "
        "roti banane wali"
    ),
    "driver": (
        "ड्राईवर, ड्रायवर, चालक, गाड़ी चालक, वाहन चालक, गाड़ी चलाने वाला, driver, drivar, "
        "draivar, driwer, dryver, chalak, gadi chalak, gaadi chalane wala, car driver, "
        "chauffeur, chauffer"
    ),
    "event-planner": (
        "इवेंट प्लानर, इवेंट मैनेजमेंट, आयोजन, शादी की तैयारी, सजावट, डेकोरेशन, टेंट वाला, "
        "टेंट हाउस, कैटरिंग, जन्मदिन पार्टी, event planner, eventplanner, event management, "
        "event manager, ivent planner, wedding planner, shaadi planner, shadi ki taiyari, "
        "party planner, birthday party, decoration, decorator, sajawat, tent wala, "
        "tent house, catering, caterer"
    ),
    "housekeeping": (
        "कामवाली, कामवाली बाई, काम वाली, बाई, मेड, घरेलू सहायिका, घरेलू सहायक, नौकरानी, "
        "झाड़ू पोछा, झाड़ू पोंछा, बर्तन, बर्तन वाली, घर का काम, kaamwali, kamwali, "
        "kaam wali bai, kamwali bai, bai, maid, housemaid, housekeeping, house keeping, "
        "housekeeper, domestic help, house help, naukrani, jhadu pocha, jharu pocha, jhaadu, "
        "pocha, bartan, bartan wali, ghar ka kaam, full time maid"
    ),
    "laundry": (
        "लॉन्ड्री, धोबी, धुलाई, कपड़े धुलाई, प्रेस, प्रेस वाला, इस्त्री, ड्राई क्लीन, "
        "ड्राई क्लीनिंग, कपड़े धोने वाला, laundry, londri, laundri, dhobi, dhobhi, dhulai, "
        "kapde dhulai, kapde dhona, press, press wala, istri, istree, ironing, iron, "
        "dry clean, dry cleaning, drycleaner, washing clothes"
    ),
}


def _rows():
    for line in CATEGORY_TABLE.strip().splitlines():
        slug, group, unit, police, ondc, gem, icon = (cell.strip() for cell in line.split("|"))
        name_en, name_hi = NAMES[slug]
        yield {
            "slug": slug,
            "group": group,
            "pricing_unit": unit,
            "police_verification_required": police == "yes",
            "ondc_category_code": "" if ondc == "-" else ondc,
            "gem_available": gem == "yes",
            "icon": icon,
            "name_en": name_en,
            "name_hi": unicodedata.normalize("NFC", name_hi),
        }


def _synonyms(slug):
    words = (w.strip() for w in SYNONYMS[slug].split(","))
    return unicodedata.normalize("NFC", "\n".join(w for w in words if w))


def seed_categories(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for order, row in enumerate(_rows(), start=1):
        slug = row.pop("slug")
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                **row,
                "synonyms": _synonyms(slug),
                "sort_order": order * 10,
                "is_active": True,
            },
        )


def remove_categories(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    Category.objects.filter(slug__in=[row["slug"] for row in _rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed_categories, remove_categories)]
