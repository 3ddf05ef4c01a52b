"""The back office sees calls and changes none."""

import pytest

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.callcentre import services
from sevamitra.callcentre.models import Call

pytestmark = pytest.mark.django_db
CALLS = "/admin/callcentre/call/"


@pytest.fixture
def closed_call(agent, caller):
    call = services.call_start(phone=caller.phone, acting_user=agent)
    return services.call_close(call=call, outcome="complaint", notes="Late", acting_user=agent)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_administrators_and_auditors_read_calls(client, role, closed_call):
    client.force_login(user_with_roles(role))
    listing = client.get(CALLS)
    assert listing.status_code == 200
    assert "XXXXXX2222" in listing.content.decode()
    assert "9811112222" not in listing.content.decode()  # masked in the list
    detail = client.get(f"{CALLS}{closed_call.pk}/change/")
    assert detail.status_code == 200
    assert 'name="notes"' not in detail.content.decode()  # read-only: no inputs


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.AUDITOR])
def test_nobody_changes_adds_or_deletes_calls(client, role, closed_call):
    client.force_login(user_with_roles(role))
    assert client.get(f"{CALLS}add/").status_code == 403
    client.post(f"{CALLS}{closed_call.pk}/change/", {"outcome": "booked", "notes": "x"})
    assert client.post(f"{CALLS}{closed_call.pk}/delete/", {"post": "yes"}).status_code == 403
    closed_call.refresh_from_db()
    assert (closed_call.outcome, closed_call.notes) == ("complaint", "Late")
    assert Call.objects.count() == 1


def test_district_officers_do_not_see_calls(client, closed_call):
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER))
    assert client.get(CALLS).status_code == 403
