"""What demo providers look like, per district and per kind of work (`manage.py seed`).

Categories come from the catalogue; a category gets the first profile whose keyword occurs
in its slug or English name, so the table survives renamed or added categories.
"""

from dataclasses import dataclass, field

# District code -> population (lakh, Census 2011; Moradabad without Sambhal).
DISTRICT_WEIGHTS: dict[str, float] = {
    "LUCKNOW": 45.9,
    "KANPUR NAGAR": 45.8,
    "VARANASI": 36.8,
    "PRAYAGRAJ": 59.5,
    "AGRA": 44.2,
    "GORAKHPUR": 44.4,
    "MEERUT": 34.4,
    "BAREILLY": 44.5,
    "GHAZIABAD": 46.8,
    "ALIGARH": 36.7,
    "MORADABAD": 31.3,
    "JHANSI": 20.0,
    "AYODHYA": 24.7,
}

# Share of Muslims among the district's people (Census 2011, rounded); the rest of the
# demo population is Hindu except for small Sikh and Christian shares everywhere.
MUSLIM_SHARE: dict[str, float] = {
    "LUCKNOW": 0.21, "KANPUR NAGAR": 0.16, "VARANASI": 0.15, "PRAYAGRAJ": 0.13,
    "AGRA": 0.09, "GORAKHPUR": 0.09, "MEERUT": 0.34, "BAREILLY": 0.35, "GHAZIABAD": 0.25,
    "ALIGARH": 0.19, "MORADABAD": 0.47, "JHANSI": 0.07, "AYODHYA": 0.15,
}  # fmt: skip
SIKH_SHARE = 0.015
CHRISTIAN_SHARE = 0.005

# Languages besides Hindi, by district: (language code, share of providers who speak it).
REGIONAL_LANGUAGES: dict[str, tuple[str, float]] = {
    "LUCKNOW": ("awa", 0.30), "AYODHYA": ("awa", 0.45), "PRAYAGRAJ": ("awa", 0.30),
    "KANPUR NAGAR": ("awa", 0.15), "VARANASI": ("bho", 0.50), "GORAKHPUR": ("bho", 0.60),
    "JHANSI": ("bns", 0.50), "AGRA": ("bra", 0.35), "ALIGARH": ("bra", 0.35),
}  # fmt: skip

# Weekly patterns: the windows of one working day, minutes since midnight.
MORNING = ((7 * 60, 13 * 60),)
DAY = ((9 * 60, 18 * 60),)
EVENING = ((16 * 60, 22 * 60),)
SPLIT = ((7 * 60, 11 * 60), (17 * 60, 21 * 60))
WALKS = ((6 * 60, 9 * 60), (17 * 60, 20 * 60))
FULL = ((8 * 60, 20 * 60),)
NIGHT = ((0, 8 * 60), (20 * 60, 24 * 60))

TRADE_HOURS = {DAY: 45, FULL: 30, MORNING: 10, EVENING: 10, SPLIT: 5}
HOUSEHOLD_HOURS = {SPLIT: 35, MORNING: 35, DAY: 15, EVENING: 10, FULL: 5}

# Typical price range per pricing unit, when a profile has none for the category's unit.
UNIT_PRICES: dict[str, tuple[int, int]] = {
    "visit": (200, 600),
    "hour": (100, 300),
    "day": (600, 1500),
    "month": (3000, 10000),
    "event": (5000, 50000),
}


@dataclass(frozen=True)
class Profile:
    keywords: tuple[str, ...]
    weight: float  # how common providers of this kind are
    female_share: float
    prices: dict[str, tuple[int, int]]  # pricing unit -> typical (low, high) in ₹
    hours: dict[tuple[tuple[int, int], ...], int] = field(default_factory=lambda: TRADE_HOURS)
    included: tuple[str, ...] = ()


PROFILES: tuple[Profile, ...] = (
    Profile(("deep",), 4, 0.25, {"visit": (1500, 5000), "hour": (300, 600)},
            included=("रसोई और बाथरूम की गहरी सफ़ाई; मशीन और केमिकल साथ लाते हैं।",)),
    Profile(("pest",), 3, 0.05, {"visit": (600, 2500)},
            included=("दवा का छिड़काव; 30 दिन में एक बार दोबारा मुफ़्त।",)),
    Profile(("electric",), 12, 0.03, {"visit": (150, 400), "hour": (150, 350)},
            included=("जाँच और छोटी मरम्मत; तार, स्विच और पुर्ज़ों का दाम अलग।",
                      "फ़िटिंग और मरम्मत; सामान ग्राहक देगा तो केवल मज़दूरी।")),
    Profile(("plumb",), 10, 0.02, {"visit": (150, 450), "hour": (150, 350)},
            included=("लीकेज की जाँच और मरम्मत; पाइप और नल का दाम अलग।",)),
    Profile(("carpent",), 6, 0.02, {"visit": (200, 500), "day": (700, 1200)},
            included=("मरम्मत और फ़िटिंग; लकड़ी और हार्डवेयर का दाम अलग।",)),
    Profile(("paint",), 5, 0.03, {"visit": (500, 1500), "day": (600, 1100)},
            included=("घिसाई और दो कोट पेंट; पेंट का दाम अलग।",)),
    Profile(("appliance", "ac-", "ac_", "air condition"), 6, 0.02, {"visit": (300, 700)},
            included=("सर्विस और जाँच; गैस भराई और पुर्ज़े अलग।",)),
    Profile(("garden", "mali"), 3, 0.10, {"visit": (200, 500), "month": (1500, 4000)},
            included=("सिंचाई और कटाई-छँटाई; खाद और गमले अलग।",)),
    Profile(("dog",), 2, 0.35, {"visit": (100, 250), "hour": (100, 250),
                                      "month": (2000, 5000)},
            hours={WALKS: 70, MORNING: 15, EVENING: 15},
            included=("रोज़ 30 मिनट की सैर, पानी और सफ़ाई।",)),
    Profile(("baby", "child", "nanny"), 5, 0.92, {"hour": (100, 250), "day": (500, 1000),
                                                   "month": (6000, 15000)},
            hours={DAY: 40, EVENING: 30, FULL: 20, MORNING: 10},
            included=("बच्चे की देखभाल, खाना खिलाना और खेल; घर का काम शामिल नहीं।",)),
    Profile(("care", "elder", "patient", "attendant"), 5, 0.65,
            {"day": (600, 1500), "hour": (150, 300), "month": (12000, 25000)},
            hours={DAY: 30, FULL: 25, NIGHT: 30, EVENING: 15},
            included=("दवा समय पर देना, उठने-बैठने में मदद; नर्सिंग का काम शामिल नहीं।",)),
    Profile(("cook", "chef"), 9, 0.70, {"month": (3000, 9000), "visit": (200, 500)},
            hours={SPLIT: 50, MORNING: 30, EVENING: 20},
            included=("दो समय का खाना, चार लोगों तक; राशन ग्राहक का।",)),
    Profile(("driver",), 6, 0.03, {"day": (700, 1200), "hour": (150, 250),
                                   "month": (12000, 20000)},
            hours={FULL: 50, DAY: 40, EVENING: 10},
            included=("ग्राहक की गाड़ी चलाना; आठ घंटे के बाद ओवरटाइम अलग।",)),
    Profile(("event",), 1.5, 0.40, {"event": (5000, 50000)}, hours={FULL: 60, DAY: 40},
            included=("सजावट, टेंट और खान-पान का प्रबंध; विक्रेताओं का भुगतान अलग।",)),
    Profile(("maid", "housekeep", "domestic"), 14, 0.90, {"month": (2500, 7000),
                                                          "hour": (80, 200)},
            hours=HOUSEHOLD_HOURS,
            included=("झाड़ू-पोछा और बर्तन; महीने में दो छुट्टी।",)),
    Profile(("laundr", "dhobi", "iron"), 4, 0.40, {"visit": (150, 500), "month": (800, 2500)},
            included=("धुलाई और इस्त्री; घर से लेना और पहुँचाना।",)),
    Profile(("clean",), 14, 0.70, {"visit": (300, 900), "hour": (150, 300),
                                   "month": (2500, 6000)},
            hours=HOUSEHOLD_HOURS,
            included=("झाड़ू-पोछा और धूल की सफ़ाई; सफ़ाई का सामान ग्राहक का।",)),
)  # fmt: skip

FALLBACK_PROFILE = Profile((), 3, 0.20, {}, included=("काम से पहले दाम बता देते हैं; सामान का दाम अलग।",))

SUSPENSION_REASONS = (
    "पुलिस सत्यापन प्रमाणपत्र की अवधि समाप्त; नवीनीकरण तक निलंबित।",
    "दो बार बिना सूचना के नहीं पहुँचे (नो-शो)।",
    "ग्राहक की शिकायत की जाँच चल रही है।",
    "पहचान दस्तावेज़ का मिलान नहीं हुआ।",
    "तय दाम से अधिक पैसे माँगने की शिकायत।",
)

LEAVE_REASONS = ("शादी", "त्योहार", "बीमारी", "गाँव जाना", "पारिवारिक कार्य", "")


def profile_for(slug: str, name_en: str) -> Profile:
    text = f"{slug} {name_en}".lower()
    for profile in PROFILES:
        if any(keyword in text for keyword in profile.keywords):
            return profile
    return FALLBACK_PROFILE
