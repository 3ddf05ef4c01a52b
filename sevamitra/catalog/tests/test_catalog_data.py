"""The catalogue shipped by migration catalog.0002_seed_categories."""

import importlib
import re

import pytest

from sevamitra.catalog.matching import normalize_term
from sevamitra.catalog.models import Category, CategoryGroup, PricingUnit

DEVANAGARI = re.compile(r"[\u0900-\u097f]")
LATIN = re.compile(r"[A-Za-z]")
ONDC_CODE = re.compile(r"^SRV11-\d{4}$")

# slug: (group, unit, police verification, ONDC code, GeM)
EXPECTED = {
    "electrician": ("trade", "visit", False, "SRV11-1025", False),
    "plumber": ("trade", "visit", False, "SRV11-1042", False),
    "carpenter": ("trade", "visit", False, "SRV11-1035", False),
    "painter": ("trade", "day", False, "SRV11-1000", False),
    "ac-appliance-repair": ("trade", "visit", False, "", True),
    "house-cleaning": ("trade", "visit", False, "SRV11-1010", True),
    "deep-cleaning": ("trade", "visit", False, "SRV11-1021", True),
    "pest-control": ("trade", "visit", False, "", True),
    "gardener": ("trade", "month", False, "", True),
    "dog-walker": ("domestic", "month", False, "", False),
    "babysitter": ("domestic", "hour", True, "", False),
    "caregiver": ("domestic", "day", True, "", False),
    "cook": ("domestic", "month", True, "", False),
    "driver": ("domestic", "day", True, "", True),
    "event-planner": ("domestic", "event", False, "", True),
    "housekeeping": ("domestic", "month", True, "", True),
    "laundry": ("domestic", "visit", False, "", False),
}


def seeded() -> dict[str, Category]:
    return {c.slug: c for c in Category.objects.all()}


@pytest.mark.django_db
def test_the_seventeen_categories_are_seeded_active_in_order():
    categories = list(Category.objects.all())  # Meta.ordering: sort_order, name_en

    assert [c.slug for c in categories] == list(EXPECTED)
    assert [c.sort_order for c in categories] == [10 * n for n in range(1, 18)]
    assert all(c.is_active for c in categories)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(EXPECTED))
def test_category_has_names_synonyms_icon_and_rules(slug):
    category = seeded()[slug]
    group, unit, police, ondc, gem = EXPECTED[slug]

    assert LATIN.search(category.name_en) and not DEVANAGARI.search(category.name_en)
    assert DEVANAGARI.search(category.name_hi) and not LATIN.search(category.name_hi)
    synonyms = category.synonym_list
    assert len(synonyms) >= 10
    assert any(DEVANAGARI.search(s) for s in synonyms)
    assert any(LATIN.search(s) for s in synonyms)
    assert category.icon != ""
    assert category.group in CategoryGroup.values
    assert category.pricing_unit in PricingUnit.values
    assert (
        category.group,
        category.pricing_unit,
        category.police_verification_required,
        category.ondc_category_code,
        category.gem_available,
    ) == (group, unit, police, ondc, gem)


@pytest.mark.django_db
def test_police_verification_for_those_inside_the_home_with_family():
    required = {slug for slug, c in seeded().items() if c.police_verification_required}

    assert required == {"babysitter", "caregiver", "cook", "driver", "housekeeping"}
    assert seeded()["electrician"].police_verification_required is False


@pytest.mark.django_db
def test_ondc_codes_are_real_srv11_codes_or_empty():
    categories = seeded()
    for slug in ("dog-walker", "babysitter", "caregiver", "driver", "event-planner", "cook"):
        assert categories[slug].ondc_category_code == ""
    codes = [c.ondc_category_code for c in categories.values() if c.ondc_category_code]

    assert len(codes) == 6
    assert all(ONDC_CODE.match(code) for code in codes)
    assert len(set(codes)) == len(codes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("plumber", ["नल वाला", "nal wala", "nalwala", "plumbar"]),
        ("gardener", ["maali", "mali", "बागवान"]),
        ("electrician", ["बिजली वाला", "bijli wala", "बिजली मिस्त्री", "wireman"]),
        ("babysitter", ["आया", "aaya", "nanny"]),
        ("cook", ["खाना बनाने वाला", "rasoiya", "bawarchi"]),
        ("driver", ["चालक", "ड्राईवर", "chalak"]),
    ],
)
def test_spoken_words_are_among_the_synonyms(slug, words):
    synonyms = seeded()[slug].synonym_list
    for word in words:
        assert word in synonyms


@pytest.mark.django_db
def test_no_search_term_names_two_categories():
    owner: dict[str, str] = {}
    clashes = []
    for category in Category.objects.all():
        terms = {category.name_en, category.name_hi, *category.synonym_list}
        for key in {normalize_term(t) for t in terms}:
            if owner.setdefault(key, category.slug) != category.slug:
                clashes.append((key, owner[key], category.slug))

    assert clashes == []


# The data migration's own forward and reverse steps, run with the historical models of that
# migration inside the test's transaction. (Migrating the schema back and forth would need a
# transactional test, which empties every table for the tests after it.)
SEED = importlib.import_module("sevamitra.catalog.migrations.0002_seed_categories")


def _historical_apps():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return loader.project_state(("catalog", "0002_seed_categories")).apps


@pytest.mark.django_db
def test_seed_migration_reverses_and_applies_again():
    apps = _historical_apps()
    SEED.remove_categories(apps, None)
    assert Category.objects.count() == 0

    SEED.seed_categories(apps, None)
    assert sorted(Category.objects.values_list("slug", flat=True)) == sorted(EXPECTED)


@pytest.mark.django_db
def test_reverse_leaves_categories_added_by_hand():
    Category.objects.create(
        slug="tailor", group="trade", name_en="Tailor", name_hi="दर्जी", pricing_unit="visit"
    )
    apps = _historical_apps()

    SEED.remove_categories(apps, None)
    assert list(Category.objects.values_list("slug", flat=True)) == ["tailor"]

    SEED.seed_categories(apps, None)
    assert Category.objects.count() == 18
