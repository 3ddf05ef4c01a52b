"""The districts of Uttar Pradesh shipped by migration geo.0002_up_districts."""

import importlib
import re

import pytest
from django.urls import reverse

from sevamitra.geo import pincodes
from sevamitra.geo.models import District

DEVANAGARI_ONLY = re.compile(r"^[\u0900-\u097f ]+$")


def pincode_districts() -> set[str]:
    return set(pincodes.indian_pincode.list_districts("UTTAR PRADESH"))


@pytest.mark.django_db
def test_all_75_districts_of_up():
    assert District.objects.count() == 75
    assert set(District.objects.values_list("state", flat=True)) == {"UTTAR PRADESH"}


@pytest.mark.django_db
def test_every_code_is_a_district_the_pincode_data_knows():
    assert set(District.objects.values_list("code", flat=True)) == pincode_districts()


@pytest.mark.django_db
def test_names_are_normal_case_english_and_devanagari_hindi():
    for district in District.objects.all():
        assert district.name_en[0].isupper() and not district.name_en.isupper(), district.code
        assert DEVANAGARI_ONLY.match(district.name_hi), district.code


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name_en", "name_hi"),
    [
        ("LUCKNOW", "Lucknow", "लखनऊ"),
        ("KANPUR NAGAR", "Kanpur Nagar", "कानपुर नगर"),
        ("VARANASI", "Varanasi", "वाराणसी"),
        ("PRAYAGRAJ", "Prayagraj", "प्रयागराज"),
        ("AYODHYA", "Ayodhya", "अयोध्या"),
        ("KHERI", "Lakhimpur Kheri", "लखीमपुर खीरी"),
        ("KUSHI NAGAR", "Kushinagar", "कुशीनगर"),
        ("SANT KABEER NAGAR", "Sant Kabir Nagar", "संत कबीर नगर"),
        ("RAE BARELI", "Rae Bareli", "रायबरेली"),
        ("BHADOHI", "Bhadohi", "भदोही"),
        ("GAUTAM BUDDHA NAGAR", "Gautam Buddha Nagar", "गौतम बुद्ध नगर"),
    ],
)
def test_district_names(code, name_en, name_hi):
    district = District.objects.get(code=code)
    assert (district.name_en, district.name_hi) == (name_en, name_hi)


@pytest.mark.django_db
def test_a_pincode_maps_onto_a_district_row():
    info = pincodes.pincode_info("226010")
    assert District.objects.get(code=info.district).name_hi == "लखनऊ"


@pytest.mark.django_db
def test_seed_migration_reverses_and_applies_again():
    # The data migration's own steps with its historical models, inside the test transaction.
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    seed = importlib.import_module("sevamitra.geo.migrations.0002_up_districts")
    apps = MigrationLoader(connection).project_state(("geo", "0002_up_districts")).apps
    seed.remove_districts(apps, None)
    assert District.objects.count() == 0

    seed.seed_districts(apps, None)
    assert District.objects.count() == 75


@pytest.mark.django_db
def test_admin_searches_districts_by_hindi_name(client, django_user_model):
    user = django_user_model.objects.create_superuser(phone="9876543210", password="unused")
    client.force_login(user)

    response = client.get(reverse("admin:geo_district_changelist"), {"q": "लखनऊ"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [District.objects.get(code="LUCKNOW")]
