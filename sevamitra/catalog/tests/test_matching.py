"""Free text → service category (sevamitra.catalog.matching), and the admin keeping it fresh."""

import threading
import time

import pytest
from django.urls import reverse

from sevamitra.accounts.models import Role, RoleGrant
from sevamitra.catalog import matching
from sevamitra.catalog.matching import (
    CategoryMatch,
    find_matches,
    invalidate_catalog_index,
    match_category,
    normalize_term,
    suggest_categories,
)
from sevamitra.catalog.models import Category


@pytest.fixture(autouse=True)
def _fresh_index():
    invalidate_catalog_index()
    yield
    invalidate_catalog_index()


def slug_of(query: str) -> str | None:
    category = match_category(query)
    return category.slug if category else None


# --- normal form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("nal wala", "nalwala"),
        ("Naal Waala", "nal vala"),
        ("maali", "mali"),
        ("Bijlee", "bijli"),
        ("Phool", "ful"),
        ("zaroori", "jaruri"),
        ("qila", "kila"),
        ("A.C. - repair!", "acrepair"),
        ("बाग़बानी", "बागबानी"),  # nukta
        ("\u0915\u093c", "\u0958"),  # decomposed and precomposed क़
        ("बाँदा", "बांदा"),  # chandrabindu as anusvara
        ("प्लम्बर", "प्लंबर"),  # half nasal before a consonant as anusvara
        ("प्लं\u200cबर", "प्लंबर"),  # ZWNJ
        ("क्\u200dष", "क्ष"),  # ZWJ
        ("नल  वाला।", "नलवाला"),
        ("ड्राईवर", "ड्राइवर"),  # long and short vowel
        ("डॉग", "डोग"),
    ],
)
def test_spellings_share_a_normal_form(a, b):
    assert normalize_term(a) == normalize_term(b)


@pytest.mark.parametrize(
    ("text", "normal"),
    [("Naal Waala", "nalvala"), ("maali", "mali"), ("नल वाला", "नलवाला"), ("", "")],
)
def test_normal_form(text, normal):
    assert normalize_term(text) == normal


# --- matching ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("plumber", "plumber"),
        ("Plumber", "plumber"),
        ("PLUMBER", "plumber"),
        ("प्लंबर", "plumber"),
        ("प्लम्बर", "plumber"),
        ("nal wala", "plumber"),
        ("naal waala", "plumber"),
        ("nalwala", "plumber"),
        ("नल वाला", "plumber"),
        ("maali", "gardener"),
        ("mali", "gardener"),
        ("माली", "gardener"),
        ("बिजली वाला", "electrician"),
        ("bijli wala", "electrician"),
        ("bijlee waala", "electrician"),
        ("electrician", "electrician"),
        ("इलेक्ट्रीशियन", "electrician"),
        ("carpentar", "carpenter"),
        ("बढ़ई", "carpenter"),
        ("बढई", "carpenter"),
        ("putai", "painter"),
        ("babysitter", "babysitter"),
        ("baby sitter", "babysitter"),
        ("aaya", "babysitter"),
        ("आया", "babysitter"),
        ("खाना बनाने वाला", "cook"),
        ("cook", "cook"),
        ("rasoiya", "cook"),
        ("रसोइया", "cook"),
        ("driver", "driver"),
        ("ड्राइवर", "driver"),
        ("ड्राईवर", "driver"),
        ("dog walker", "dog-walker"),
        ("डॉग वॉकर", "dog-walker"),
        ("AC repair", "ac-appliance-repair"),
        ("fridge", "ac-appliance-repair"),
        ("dimak", "pest-control"),
        ("kaamwali bai", "housekeeping"),
        ("maid", "housekeeping"),
        ("dhobi", "laundry"),
        ("bujurg ki dekhbhal", "caregiver"),
        ("shaadi planner", "event-planner"),
        ("Housekeeping / maid", "housekeeping"),
    ],
)
def test_word_finds_its_category(query, slug):
    assert slug_of(query) == slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("plumber chahiye", "plumber"),
        ("mujhe bijli wala chahiye", "electrician"),
        ("मुझे बिजली वाला चाहिए", "electrician"),
        ("mujhe ek driver chahiye kal", "driver"),
        ("ghar ki safai karwani hai", "house-cleaning"),
        ("deep cleaning chahiye", "deep-cleaning"),  # longer match beats "cleaning"
        ("मुझे खाना बनाने वाली चाहिए", "cook"),
        ("AC ki service", "ac-appliance-repair"),
    ],
)
def test_sentence_finds_its_category(query, slug):
    assert slug_of(query) == slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "slug"),
    [("plumbr", "plumber"), ("electrican", "electrician"), ("elektrishan", "electrician")],
)
def test_small_typos_are_forgiven(query, slug):
    assert slug_of(query) == slug


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["astronaut", "rocket science", "electro", "chahiye", "wala", "mistri", "", "   ", "!!!"],
)
def test_unknown_words_match_nothing(query):
    assert match_category(query) is None


@pytest.mark.django_db
def test_exact_name_beats_synonym_and_typo():
    matches = find_matches("deep cleaning")

    assert matches[0] == CategoryMatch(
        category_id=Category.objects.get(slug="deep-cleaning").pk, slug="deep-cleaning", score=1.0
    )
    assert [m.slug for m in find_matches("nal wala")] == ["plumber"]
    assert find_matches("nal wala")[0].score == 0.95
    assert find_matches("plumbr")[0].score == 0.923


@pytest.mark.django_db
def test_match_returns_the_category_instance():
    category = match_category("plumber")

    assert isinstance(category, Category)
    assert category == Category.objects.get(slug="plumber")
    assert category.name_hi == "प्लंबर"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"),
    [("plumbe", "plumber"), ("plu", "plumber"), ("bijl", "electrician"), ("kutt", "dog-walker")],
)
def test_near_misses_get_suggestions(query, first):
    assert suggest_categories(query)[0].slug == first


@pytest.mark.django_db
def test_suggestions_for_a_word_that_matches_nothing():
    assert match_category("electro") is None
    assert "electrician" in [c.slug for c in suggest_categories("electro")]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["astronaut", "xyz", "", "chahiye"])
def test_no_suggestions_for_nonsense(query):
    assert suggest_categories(query) == []


@pytest.mark.django_db
def test_suggestions_respect_the_limit():
    assert len(suggest_categories("cleaning", limit=3)) == 3
    assert len(suggest_categories("cleaning", limit=1)) == 1
    assert suggest_categories("cleaning", limit=0) == []


@pytest.mark.django_db
def test_inactive_categories_are_not_matched():
    Category.objects.filter(slug="plumber").update(is_active=False)

    assert match_category("plumber") is None
    assert match_category("nal wala") is None
    assert match_category("plumbr") is None
    assert "plumber" not in [c.slug for c in suggest_categories("plumbe")]


# --- the cached index -------------------------------------------------------------------


@pytest.mark.django_db
def test_index_costs_one_query_cold_and_none_warm(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert slug_of("plumber") == "plumber"

    with django_assert_num_queries(0):
        assert slug_of("nal wala") == "plumber"
        assert slug_of("mujhe bijli wala chahiye") == "electrician"
        assert slug_of("plumbr") == "plumber"
        assert match_category("astronaut") is None
        assert suggest_categories("plumbe")[0].slug == "plumber"


@pytest.mark.django_db
def test_index_is_kept_for_a_minute_then_rebuilt(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(matching, "_clock", lambda: now[0])
    assert match_category("handpump mistri") is None  # builds the index at t=1000
    Category.objects.filter(slug="plumber").update(synonyms="handpump mistri")

    now[0] = 1059.0
    assert match_category("handpump mistri") is None
    now[0] = 1060.0
    assert slug_of("handpump mistri") == "plumber"


@pytest.mark.django_db
def test_invalidate_drops_the_index_at_once():
    assert match_category("handpump mistri") is None
    Category.objects.filter(slug="plumber").update(synonyms="handpump mistri")

    invalidate_catalog_index()

    assert slug_of("handpump mistri") == "plumber"


@pytest.mark.django_db
def test_concurrent_first_use_builds_the_index_once(monkeypatch):
    index = matching._build_index()  # from the database, in this thread
    builds = []

    def slow_build():
        builds.append(threading.get_ident())
        time.sleep(0.05)
        return index

    monkeypatch.setattr(matching, "_build_index", slow_build)
    results: list[str | None] = []
    threads = [
        threading.Thread(target=lambda: results.append(slug_of("nal wala"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(builds) == 1
    assert results == ["plumber"] * 8


# --- the admin keeps it fresh -----------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(phone="9876543210", password="unused")
    client.force_login(user)
    return client


def form_data(category: Category, **changes) -> dict[str, str]:
    fields = ["slug", "group", "name_en", "name_hi", "synonyms", "pricing_unit"]
    fields += ["ondc_category_code", "icon", "sort_order"]
    data = {field: str(getattr(category, field)) for field in fields}
    flags = ["police_verification_required", "gem_available", "is_active"]
    data.update({flag: "on" for flag in flags if getattr(category, flag)})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_admin_change_invalidates_the_index(admin_client, django_capture_on_commit_callbacks):
    plumber = Category.objects.get(slug="plumber")
    assert match_category("handpump mistri") is None  # index warm
    url = reverse("admin:catalog_category_change", args=[plumber.pk])

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            url, form_data(plumber, synonyms=plumber.synonyms + "\nhandpump mistri")
        )

    assert response.status_code == 302
    assert slug_of("handpump mistri") == "plumber"
    assert invalidate_catalog_index in callbacks


@pytest.mark.django_db
def test_admin_deactivation_from_the_list_invalidates_the_index(admin_client):
    assert slug_of("plumber") == "plumber"
    categories = list(Category.objects.all())
    data = {
        "form-TOTAL_FORMS": str(len(categories)),
        "form-INITIAL_FORMS": str(len(categories)),
        "_save": "Save",
    }
    for n, category in enumerate(categories):
        data[f"form-{n}-id"] = str(category.pk)
        data[f"form-{n}-sort_order"] = str(category.sort_order)
        if category.slug != "plumber":
            data[f"form-{n}-is_active"] = "on"

    response = admin_client.post(reverse("admin:catalog_category_changelist"), data)

    assert response.status_code == 302
    assert Category.objects.get(slug="plumber").is_active is False
    assert match_category("plumber") is None


@pytest.mark.django_db
def test_admin_delete_invalidates_the_index(admin_client):
    dog_walker = Category.objects.get(slug="dog-walker")
    assert slug_of("dog walker") == "dog-walker"

    url = reverse("admin:catalog_category_delete", args=[dog_walker.pk])
    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Category.objects.filter(slug="dog-walker").exists()
    assert match_category("dog walker") is None


@pytest.mark.django_db
def test_auditor_reads_the_catalogue_but_cannot_change_it(client, django_user_model):
    auditor = django_user_model.objects.create_user(phone="9876500001", is_staff=True)
    RoleGrant.objects.create(user=auditor, role=Role.AUDITOR)
    client.force_login(auditor)
    plumber = Category.objects.get(slug="plumber")

    listing = client.get(reverse("admin:catalog_category_changelist"))
    response = client.post(
        reverse("admin:catalog_category_change", args=[plumber.pk]),
        form_data(plumber, name_en="Changed"),
    )

    assert listing.status_code == 200
    assert response.status_code == 403
    assert Category.objects.get(slug="plumber").name_en == "Plumber"
