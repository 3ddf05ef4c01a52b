"""Saved addresses: the services (owner only, at most ten, real pincodes, a point from the
pincode) and the pages under /my/addresses/."""

import pytest

from sevamitra.accounts.errors import InvalidInput, NotPermitted
from sevamitra.accounts.models import Address, Role
from sevamitra.accounts.services import (
    MAX_ADDRESSES,
    address_create,
    address_delete,
    address_update,
)
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return UserFactory()


def create(user, acting_user=None, **fields):
    values = {"label": "घर", "line": "B-12, Vipin Khand", "pincode": "226010", **fields}
    return address_create(user=user, acting_user=acting_user or user, **values)


# --- services -------------------------------------------------------------------------------


def test_create_takes_the_point_from_the_pincode(citizen):
    address = create(citizen, locality="  Gomti   Nagar ")
    assert (address.user, address.label, address.locality, address.pincode) == (
        citizen,
        "घर",
        "Gomti Nagar",
        "226010",
    )
    assert (round(address.lat, 3), round(address.lng, 3)) == (26.864, 81.001)


def test_create_keeps_a_given_point(citizen):
    address = create(citizen, lat=26.87, lng=81.01)
    assert (address.lat, address.lng) == (26.87, 81.01)


def test_devanagari_digits_in_the_pincode_are_read(citizen):
    assert create(citizen, pincode="२२६०१०").pincode == "226010"


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"pincode": "999999"}, "unknown_pincode", "pincode"),
        ({"pincode": "12"}, "unknown_pincode", "pincode"),
        ({"label": "  "}, "required", "label"),
        ({"line": ""}, "required", "line"),
        ({"label": "x" * 41}, "too_long", "label"),
        ({"line": "x" * 301}, "too_long", "line"),
        ({"lat": float("nan"), "lng": 81.0}, "invalid_coordinates", "lat"),
        ({"lat": 95.0, "lng": 81.0}, "invalid_coordinates", "lat"),
    ],
)
def test_create_refuses_bad_input(citizen, fields, code, field):
    with pytest.raises(InvalidInput) as error:
        create(citizen, **fields)
    assert (error.value.code, error.value.field) == (code, field)
    assert not Address.objects.exists()


def test_labels_are_unique_per_person_whatever_the_case(citizen):
    create(citizen, label="Home")
    with pytest.raises(InvalidInput) as error:
        create(citizen, label="home")
    assert error.value.code == "label_taken"
    create(UserFactory(), label="Home")  # someone else may
    assert Address.objects.count() == 2


def test_at_most_ten_addresses(citizen):
    for n in range(MAX_ADDRESSES):
        create(citizen, label=f"जगह {n}")
    with pytest.raises(InvalidInput) as error:
        create(citizen, label="one more")
    assert error.value.code == "too_many_addresses"
    assert Address.objects.filter(user=citizen).count() == MAX_ADDRESSES


@pytest.mark.parametrize("role", [None, Role.AGENT, Role.ADMINISTRATOR])
def test_only_the_owner_keeps_addresses(citizen, role):
    other = user_with_roles(role) if role else UserFactory()
    with pytest.raises(NotPermitted):
        create(citizen, acting_user=other)
    address = create(citizen)
    with pytest.raises(NotPermitted):
        address_update(address=address, acting_user=other, label="changed")
    with pytest.raises(NotPermitted):
        address_delete(address=address, acting_user=other)
    address.refresh_from_db()
    assert address.label == "घर"


def test_an_auditor_cannot_write_even_their_own(citizen):
    auditor = user_with_roles(Role.AUDITOR)
    with pytest.raises(NotPermitted):
        create(auditor)
    assert not Address.objects.exists()


def test_update_moves_the_point_with_a_new_pincode(citizen):
    address = create(citizen, lat=26.87, lng=81.01)
    address_update(address=address, acting_user=citizen, line="C-4", pincode="226001")
    address.refresh_from_db()
    assert (address.line, address.pincode, round(address.lat, 2)) == ("C-4", "226001", 26.85)


def test_update_with_the_same_pincode_keeps_the_point(citizen):
    address = create(citizen, lat=26.87, lng=81.01)
    address_update(address=address, acting_user=citizen, pincode="226010", label="Home")
    address.refresh_from_db()
    assert (address.label, address.lat, address.lng) == ("Home", 26.87, 81.01)


def test_update_refuses_a_taken_label_and_changes_nothing(citizen):
    create(citizen, label="Office")
    address = create(citizen, label="Home")
    with pytest.raises(InvalidInput):
        address_update(address=address, acting_user=citizen, label="office")
    address.refresh_from_db()
    assert address.label == "Home"


def test_delete(citizen):
    address = create(citizen)
    address_delete(address=address, acting_user=citizen)
    assert not Address.objects.exists()


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


@pytest.mark.parametrize(
    "path", ["/my/addresses/", "/my/addresses/new/", "/my/addresses/1/", "/my/addresses/1/delete/"]
)
def test_anonymous_people_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signin/?next=")


def test_the_list_in_hindi(signed_in, citizen):
    create(citizen, locality="Gomti Nagar")
    create(UserFactory(), label="Theirs", line="somewhere else")
    response = signed_in.get("/my/addresses/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="hi">' in html
    assert "B-12, Vipin Khand, Gomti Nagar, 226010" in html
    assert "somewhere else" not in html
    assert 'href="/my/addresses/new/"' in html


def test_the_list_in_english_when_full(signed_in, citizen):
    for n in range(MAX_ADDRESSES):
        create(citizen, label=f"Place {n}")
    signed_in.cookies["django_language"] = "en"
    html = signed_in.get("/my/addresses/").content.decode()
    assert "You can save at most 10 addresses." in html
    assert 'href="/my/addresses/new/"' not in html


def test_add(signed_in, citizen):
    response = signed_in.post(
        "/my/addresses/new/",
        {"label": "दफ़्तर", "line": "5 Ashok Marg", "locality": "", "pincode": "226001"},
    )
    assert response.status_code == 302 and response["Location"] == "/my/addresses/"
    address = Address.objects.get()
    assert (address.user, address.label, address.pincode) == (citizen, "दफ़्तर", "226001")
    assert address.lat is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "", "line": "x", "pincode": "226001"}, "id_label"),
        ({"label": "a", "line": "x", "pincode": "999999"}, "id_pincode"),
        ({"label": "a", "line": "", "pincode": "226001"}, "id_line"),
    ],
)
def test_add_bad_input_is_a_form_error(signed_in, data, field):
    response = signed_in.post("/my/addresses/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and f'href="#{field}"' in html
    assert not Address.objects.exists()


def test_add_when_full_says_so(signed_in, citizen):
    for n in range(MAX_ADDRESSES):
        create(citizen, label=f"Place {n}")
    response = signed_in.post(
        "/my/addresses/new/", {"label": "more", "line": "x", "pincode": "226001"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Address.objects.count() == MAX_ADDRESSES


def test_edit(signed_in, citizen):
    address = create(citizen)
    page = signed_in.get(f"/my/addresses/{address.pk}/").content.decode()
    assert 'value="226010"' in page
    response = signed_in.post(
        f"/my/addresses/{address.pk}/",
        {"label": "Home", "line": "C-4", "locality": "Aliganj", "pincode": "226024"},
    )
    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.label, address.line, address.locality, address.pincode) == (
        "Home",
        "C-4",
        "Aliganj",
        "226024",
    )


def test_delete_asks_first(signed_in, citizen):
    address = create(citizen)
    page = signed_in.get(f"/my/addresses/{address.pk}/delete/").content.decode()
    assert "B-12, Vipin Khand" in page and 'method="post"' in page
    assert Address.objects.exists()
    response = signed_in.post(f"/my/addresses/{address.pk}/delete/")
    assert response.status_code == 302
    assert not Address.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["/my/addresses/{id}/", "/my/addresses/{id}/delete/"])
def test_another_persons_address_is_404_and_unchanged(signed_in, method, path):
    theirs = create(UserFactory(), label="Theirs")
    response = getattr(signed_in, method)(
        path.format(id=theirs.pk), {"label": "mine now", "line": "x", "pincode": "226001"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.label == "Theirs"
