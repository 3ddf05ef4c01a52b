"""accounts.services.user_create: someone registered on a caller's behalf."""

import pytest
from django.utils import translation

from sevamitra.accounts.errors import InvalidInput
from sevamitra.accounts.models import Role, User
from sevamitra.accounts.services import user_create
from sevamitra.accounts.tests.factories import UserFactory, user_with_roles
from sevamitra.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def test_an_agent_registers_a_caller_as_a_citizen_in_the_callers_language():
    agent = user_with_roles(Role.AGENT)
    with translation.override("hi"):  # the agent's page is in Hindi; the caller speaks English
        caller = user_create(
            phone="9812345670", name=" Asha ", preferred_language="en", acting_user=agent
        )
    assert (caller.phone, caller.name, caller.preferred_language) == ("9812345670", "Asha", "en")
    assert set(caller.role_grants.values_list("role", flat=True)) == {Role.CITIZEN}


def test_without_a_language_the_request_language_is_taken():
    agent = user_with_roles(Role.AGENT)
    with translation.override("hi"):
        caller = user_create(phone="9812345671", acting_user=agent)
    assert caller.preferred_language == "hi"


def test_an_unknown_language_is_refused_and_nobody_is_created():
    agent = user_with_roles(Role.AGENT)
    with pytest.raises(InvalidInput) as refused:
        user_create(phone="9812345672", preferred_language="fr", acting_user=agent)
    assert refused.value.code == "invalid_language"
    assert not User.objects.filter(phone="9812345672").exists()


def test_a_citizen_cannot_register_someone_else():
    with pytest.raises(PermissionDenied):
        user_create(phone="9812345673", acting_user=UserFactory())
    assert not User.objects.filter(phone="9812345673").exists()


def test_a_number_already_registered_is_refused():
    agent = user_with_roles(Role.AGENT)
    UserFactory(phone="9812345674")
    with pytest.raises(InvalidInput) as refused:
        user_create(phone="9812345674", acting_user=agent)
    assert refused.value.code == "phone_taken"


def test_a_buyer_apps_customer_is_found_or_made_by_number():
    from sevamitra.accounts.services import citizen_for_phone

    first = citizen_for_phone(phone="+91 98123 45675", name=" Ravi ", language="en")
    again = citizen_for_phone(phone="9812345675", name="Someone else")
    assert first == again
    assert (again.name, again.preferred_language) == ("Ravi", "en")
    assert set(again.role_grants.values_list("role", flat=True)) == {Role.CITIZEN}


def test_a_buyer_apps_customer_needs_a_real_mobile_number():
    from sevamitra.accounts.errors import InvalidPhone
    from sevamitra.accounts.services import citizen_for_phone

    with pytest.raises(InvalidPhone):
        citizen_for_phone(phone="12345")
    assert not User.objects.exists()
