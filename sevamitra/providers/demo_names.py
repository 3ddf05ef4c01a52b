"""Names for demo providers (`manage.py seed`): Devanagari with the usual Latin spelling.

A first name and a surname are drawn from the same community, so the pairs read like real
people from Uttar Pradesh. Surnames with a gender (Sikh "Singh"/"Kaur") only go with it.
"""

from typing import NamedTuple


class FirstName(NamedTuple):
    hi: str
    latin: str
    gender: str  # providers.models.Gender value
    community: str


class Surname(NamedTuple):
    hi: str
    latin: str
    community: str
    gender: str = ""  # "" = any


HINDU, MUSLIM, SIKH, CHRISTIAN = "hindu", "muslim", "sikh", "christian"


def _firsts(community: str, gender: str, names: str) -> list[FirstName]:
    pairs = (item.split("/") for item in names.split())
    return [FirstName(hi, latin, gender, community) for hi, latin in pairs]


def _surnames(community: str, names: str, gender: str = "") -> list[Surname]:
    pairs = (item.split("/") for item in names.split())
    return [Surname(hi, latin, community, gender) for hi, latin in pairs]


FIRST_NAMES: list[FirstName] = [
    *_firsts(
        HINDU,
        "female",
        "सुनीता/Sunita अनीता/Anita गीता/Geeta सीमा/Seema पूजा/Pooja प्रियंका/Priyanka रीना/Reena "
        "मीना/Meena कविता/Kavita ममता/Mamta सरिता/Sarita रेखा/Rekha ऊषा/Usha शालिनी/Shalini "
        "नेहा/Neha ज्योति/Jyoti अंजलि/Anjali राधा/Radha सावित्री/Savitri कमला/Kamla "
        "लक्ष्मी/Lakshmi संगीता/Sangeeta बबीता/Babita सोनी/Soni आरती/Aarti निशा/Nisha "
        "पुष्पा/Pushpa रंजना/Ranjana",
    ),
    *_firsts(
        HINDU,
        "male",
        "राजेश/Rajesh सुरेश/Suresh रमेश/Ramesh मुकेश/Mukesh दिनेश/Dinesh अशोक/Ashok "
        "संजय/Sanjay विजय/Vijay अजय/Ajay राकेश/Rakesh मनोज/Manoj अनिल/Anil सुनील/Sunil "
        "राजू/Raju प्रदीप/Pradeep संतोष/Santosh विनोद/Vinod राहुल/Rahul अमित/Amit दीपक/Deepak "
        "पंकज/Pankaj नीरज/Neeraj रवि/Ravi श्याम/Shyam गोविंद/Govind मोहन/Mohan बृजेश/Brijesh "
        "धर्मेंद्र/Dharmendra",
    ),
    *_firsts(
        MUSLIM,
        "female",
        "शबाना/Shabana रुख़साना/Rukhsana नाज़िया/Nazia फ़रज़ाना/Farzana शाहीन/Shaheen "
        "सलमा/Salma ज़ैनब/Zainab आयशा/Ayesha नसरीन/Nasreen यास्मीन/Yasmeen",
    ),
    *_firsts(
        MUSLIM,
        "male",
        "सलीम/Salim इरफ़ान/Irfan इमरान/Imran आरिफ़/Arif शाहिद/Shahid जावेद/Javed रईस/Rais "
        "नदीम/Nadeem वसीम/Wasim अकरम/Akram",
    ),
    *_firsts(SIKH, "female", "गुरप्रीत/Gurpreet मनजीत/Manjeet"),
    *_firsts(SIKH, "male", "हरजीत/Harjeet बलविंदर/Balvinder"),
    *_firsts(CHRISTIAN, "female", "मैरी/Mary"),
    *_firsts(CHRISTIAN, "male", "जोसेफ़/Joseph"),
]

SURNAMES: list[Surname] = [
    *_surnames(
        HINDU,
        "शर्मा/Sharma वर्मा/Verma यादव/Yadav गुप्ता/Gupta श्रीवास्तव/Srivastava मिश्रा/Mishra "
        "तिवारी/Tiwari पांडेय/Pandey शुक्ला/Shukla त्रिपाठी/Tripathi दुबे/Dubey सिंह/Singh "
        "चौहान/Chauhan राठौर/Rathore कुशवाहा/Kushwaha मौर्य/Maurya पटेल/Patel कश्यप/Kashyap "
        "निषाद/Nishad प्रजापति/Prajapati विश्वकर्मा/Vishwakarma पाल/Pal साहू/Sahu "
        "जायसवाल/Jaiswal अग्रवाल/Agarwal रस्तोगी/Rastogi सक्सेना/Saxena निगम/Nigam "
        "गौतम/Gautam जाटव/Jatav कनौजिया/Kanaujia वाल्मीकि/Valmiki सोनकर/Sonkar भारती/Bharti "
        "रावत/Rawat लोधी/Lodhi चौधरी/Chaudhary त्यागी/Tyagi",
    ),
    *_surnames(
        MUSLIM,
        "ख़ान/Khan अंसारी/Ansari क़ुरैशी/Qureshi सिद्दीक़ी/Siddiqui शेख़/Shaikh अली/Ali "
        "हुसैन/Hussain मंसूरी/Mansoori सैफ़ी/Saifi अब्बासी/Abbasi",
    ),
    *_surnames(SIKH, "सिंह/Singh", gender="male"),
    *_surnames(SIKH, "कौर/Kaur", gender="female"),
    *_surnames(CHRISTIAN, "मसीह/Masih थॉमस/Thomas"),
]
