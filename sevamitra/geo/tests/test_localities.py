import pytest

from sevamitra.geo.localities import locality_search, skeleton


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gomti Nagar", "गोमती नगर"),
        ("Vinay Khand", "विनय खंड"),
        ("Aliganj", "अलीगंज"),
        ("Sadak", "सड़क"),  # nukta letter
        ("Zaidpur", "ज़ैदपुर"),
        ("Shivpur", "शिवपुर"),
    ],
)
def test_latin_and_devanagari_spellings_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


def test_different_names_have_different_skeletons():
    assert skeleton("Gomti Nagar") != skeleton("Indira Nagar")


@pytest.mark.parametrize("typed", ["Gomti Nagar", "gomti nagar", "गोमती नगर", "  GOMTI   nagar "])
def test_a_locality_is_found_by_name_in_either_script(typed):
    found = locality_search(typed)
    assert found[0].name == "Gomti Nagar"
    assert found[0].pincode == "226010"
    assert found[0].district == "LUCKNOW"
    assert 26.7 < found[0].lat < 27.0 and 80.8 < found[0].lng < 81.1


def test_the_same_name_in_many_districts_can_be_narrowed_to_one():
    everywhere = {loc.district for loc in locality_search("Aliganj", limit=20)}
    assert {"LUCKNOW", "ETAH"} <= everywhere
    in_lucknow = locality_search("Aliganj", district="LUCKNOW")
    assert in_lucknow[0].name == "Aliganj"
    assert {loc.district for loc in in_lucknow} == {"LUCKNOW"}


def test_prefix_matches_come_before_longer_names_and_limit_is_kept():
    names = [loc.name for loc in locality_search("gomti", district="LUCKNOW", limit=1)]
    assert names == ["Gomti Nagar"]


@pytest.mark.parametrize("typed", ["", " ", "x", "—", "qqqqzzzz"])
def test_too_short_or_unknown_text_finds_nothing(typed):
    assert locality_search(typed) == []


def test_post_office_suffixes_are_not_part_of_names():
    names = {loc.name for loc in locality_search("Vinay Khand")}
    assert names == {"Vinay Khand"}
