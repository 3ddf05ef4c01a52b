"""Seed the 75 districts of Uttar Pradesh.

`code` is the district exactly as the `indian-pincode` package spells it
(`indian_pincode.list_districts("UTTAR PRADESH")`), so a pincode's district maps onto a row
without a lookup table — including its older spellings "KHERI", "KUSHI NAGAR",
"SANT KABEER NAGAR". `name_en` is the current official name, `name_hi` the Devanagari
name used by the state government.
"""

import unicodedata

from django.db import migrations

STATE = "UTTAR PRADESH"

# code (as indian-pincode spells it), English name, Hindi name
DISTRICTS = [
    ("AGRA", "Agra", "आगरा"),
    ("ALIGARH", "Aligarh", "अलीगढ़"),
    ("AMBEDKAR NAGAR", "Ambedkar Nagar", "अम्बेडकर नगर"),
    ("AMETHI", "Amethi", "अमेठी"),
    ("AMROHA", "Amroha", "अमरोहा"),
    ("AURAIYA", "Auraiya", "औरैया"),
    ("AYODHYA", "Ayodhya", "अयोध्या"),
    ("AZAMGARH", "Azamgarh", "आजमगढ़"),
    ("BAGHPAT", "Baghpat", "बागपत"),
    ("BAHRAICH", "Bahraich", "बहराइच"),
    ("BALLIA", "Ballia", "बलिया"),
    ("BALRAMPUR", "Balrampur", "बलरामपुर"),
    ("BANDA", "Banda", "बाँदा"),
    ("BARABANKI", "Barabanki", "बाराबंकी"),
    ("BAREILLY", "Bareilly", "बरेली"),
    ("BASTI", "Basti", "बस्ती"),
    ("BHADOHI", "Bhadohi", "भदोही"),
    ("BIJNOR", "Bijnor", "बिजनौर"),
    ("BUDAUN", "Budaun", "बदायूँ"),
    ("BULANDSHAHR", "Bulandshahr", "बुलंदशहर"),
    ("CHANDAULI", "Chandauli", "चंदौली"),
    ("CHITRAKOOT", "Chitrakoot", "चित्रकूट"),
    ("DEORIA", "Deoria", "देवरिया"),
    ("ETAH", "Etah", "एटा"),
    ("ETAWAH", "Etawah", "इटावा"),
    ("FARRUKHABAD", "Farrukhabad", "फर्रुखाबाद"),
    ("FATEHPUR", "Fatehpur", "फतेहपुर"),
    ("FIROZABAD", "Firozabad", "फिरोजाबाद"),
    ("GAUTAM BUDDHA NAGAR", "Gautam Buddha Nagar", "गौतम बुद्ध नगर"),
    ("GHAZIABAD", "Ghaziabad", "गाजियाबाद"),
    ("GHAZIPUR", "Ghazipur", "गाजीपुर"),
    ("GONDA", "Gonda", "गोंडा"),
    ("GORAKHPUR", "Gorakhpur", "गोरखपुर"),
    ("HAMIRPUR", "Hamirpur", "हमीरपुर"),
    ("HAPUR", "Hapur", "हापुड़"),
    ("HARDOI", "Hardoi", "हरदोई"),
    ("HATHRAS", "Hathras", "हाथरस"),
    ("JALAUN", "Jalaun", "जालौन"),
    ("JAUNPUR", "Jaunpur", "जौनपुर"),
    ("JHANSI", "Jhansi", "झाँसी"),
    ("KANNAUJ", "Kannauj", "कन्नौज"),
    ("KANPUR DEHAT", "Kanpur Dehat", "कानपुर देहात"),
    ("KANPUR NAGAR", "Kanpur Nagar", "कानपुर नगर"),
    ("KASGANJ", "Kasganj", "कासगंज"),
    ("KAUSHAMBI", "Kaushambi", "कौशाम्बी"),
    ("KHERI", "Lakhimpur Kheri", "लखीमपुर खीरी"),
    ("KUSHI NAGAR", "Kushinagar", "कुशीनगर"),
    ("LALITPUR", "Lalitpur", "ललितपुर"),
    ("LUCKNOW", "Lucknow", "लखनऊ"),
    ("MAHARAJGANJ", "Maharajganj", "महराजगंज"),
    ("MAHOBA", "Mahoba", "महोबा"),
    ("MAINPURI", "Mainpuri", "मैनपुरी"),
    ("MATHURA", "Mathura", "मथुरा"),
    ("MAU", "Mau", "मऊ"),
    ("MEERUT", "Meerut", "मेरठ"),
    ("MIRZAPUR", "Mirzapur", "मिर्जापुर"),
    ("MORADABAD", "Moradabad", "मुरादाबाद"),
    ("MUZAFFARNAGAR", "Muzaffarnagar", "मुजफ्फरनगर"),
    ("PILIBHIT", "Pilibhit", "पीलीभीत"),
    ("PRATAPGARH", "Pratapgarh", "प्रतापगढ़"),
    ("PRAYAGRAJ", "Prayagraj", "प्रयागराज"),
    ("RAE BARELI", "Rae Bareli", "रायबरेली"),
    ("RAMPUR", "Rampur", "रामपुर"),
    ("SAHARANPUR", "Saharanpur", "सहारनपुर"),
    ("SAMBHAL", "Sambhal", "संभल"),
    ("SANT KABEER NAGAR", "Sant Kabir Nagar", "संत कबीर नगर"),
    ("SHAHJAHANPUR", "Shahjahanpur", "शाहजहाँपुर"),
    ("SHAMLI", "Shamli", "शामली"),
    ("SHRAVASTI", "Shravasti", "श्रावस्ती"),
    ("SIDDHARTH NAGAR", "Siddharthnagar", "सिद्धार्थनगर"),
    ("SITAPUR", "Sitapur", "सीतापुर"),
    ("SONBHADRA", "Sonbhadra", "सोनभद्र"),
    ("SULTANPUR", "Sultanpur", "सुल्तानपुर"),
    ("UNNAO", "Unnao", "उन्नाव"),
    ("VARANASI", "Varanasi", "वाराणसी"),
]


def seed_districts(apps, schema_editor):
    District = apps.get_model("geo", "District")
    for code, name_en, name_hi in DISTRICTS:
        District.objects.update_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_hi": unicodedata.normalize("NFC", name_hi),
                "state": STATE,
            },
        )


def remove_districts(apps, schema_editor):
    District = apps.get_model("geo", "District")
    District.objects.filter(code__in=[code for code, _, _ in DISTRICTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [migrations.RunPython(seed_districts, remove_districts)]
