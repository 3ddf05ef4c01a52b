"""From a linked registration to the Sevamitra registration's first answers: names by script,
gender, area, and services from ITI/PMKVY trades and skills through the catalogue's words."""

import pytest

from sevamitra.employment import selectors
from sevamitra.employment.models import EmploymentLink
from sevamitra.employment.services import employment_unlink
from sevamitra.employment.tests.conftest import SEWAYOJAN

pytestmark = pytest.mark.django_db


def linked(person, **imported):
    data = {
        "name": "सुनीता देवी",
        "district_code": "LUCKNOW",
        "pincode": "226010",
        "gender": "female",
        "experience_years": 2,
        "skills": [],
        "certificates": [],
        **imported,
    }
    return EmploymentLink.objects.create(
        user=person, portal=SEWAYOJAN, registration_number="UPLKO2024000001", imported=data
    )


def test_without_a_link_nothing_is_prefilled(person):
    assert selectors.registration_prefill(person) == {}


def test_a_devanagari_name_prefills_the_hindi_name(person):
    linked(person, skills=["cooking"])
    assert selectors.registration_prefill(person) == {
        "name_hi": "सुनीता देवी",
        "gender": "female",
        "district": "LUCKNOW",
        "pincode": "226010",
        "categories": ["cook"],
        "experience_years": 2,
    }


def test_a_latin_name_prefills_the_english_name(person):
    linked(person, name="Arjun  Yadav", gender="male", experience_years=0)
    assert selectors.registration_prefill(person) == {
        "name_latin": "Arjun Yadav",
        "gender": "male",
        "district": "LUCKNOW",
        "pincode": "226010",
    }


def test_what_cannot_be_used_is_left_out(person):
    linked(person, name="A1 #", gender="", district_code="ATLANTIS", pincode="999999")
    assert selectors.registration_prefill(person) == {"experience_years": 2}


@pytest.mark.parametrize(
    "certificates, skills, slugs",
    [
        # Official trade names: through the catalogue's own names and synonyms …
        ([("ITI", "Electrician")], [], ["electrician"]),
        ([("ITI", "Wireman")], [], ["electrician"]),
        ([("ITI", "Mechanic Refrigeration and Air Conditioner")], [], ["ac-appliance-repair"]),
        ([("PMKVY", "Domestic House Keeper")], [], ["housekeeping"]),
        ([("PMKVY", "Light Motor Vehicle Driver")], [], ["driver"]),
        ([("ITI", "Plumber (General)"), ("ITI", "Carpenter")], [], ["plumber", "carpenter"]),
        # … and the few the synonyms miss, through TRADE_CATEGORIES.
        ([("PMKVY", "General Duty Assistant")], [], ["caregiver"]),
        ([("ITI", "Food Production (General)")], [], ["cook"]),
        # Skills in Hindi, Hinglish or English.
        ([], ["बिजली का काम", "nal wala"], ["electrician", "plumber"]),
        ([], ["gardening", "driving"], ["gardener", "driver"]),
        # Trades the portal does not offer prefill nothing.
        ([("ITI", "Welder"), ("PMKVY", "Retail Sales Associate")], ["computer"], []),
    ],
)
def test_trades_and_skills_choose_catalogue_services(person, certificates, skills, slugs):
    linked(
        person,
        certificates=[
            {"scheme": s, "trade": t, "number": "", "issued_on": None} for s, t in certificates
        ],
        skills=skills,
    )
    assert selectors.registration_prefill(person).get("categories", []) == slugs


def test_an_unlinked_registration_prefills_nothing(person):
    link = linked(person)
    employment_unlink(link=link, acting_user=person)
    assert selectors.registration_prefill(person) == {}
