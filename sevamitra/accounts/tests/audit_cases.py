"""Audit completeness of accounts (audit/tests/test_completeness.py): each public function of
the write modules below either writes its audit entry (a Case calls it on real data) or says
why it writes none."""

import datetime as dt

from django.utils import timezone

from sevamitra.accounts import services
from sevamitra.accounts.models import OtpChallenge, Role, User
from sevamitra.accounts.tests.factories import DistrictFactory, UserFactory, user_with_roles
from sevamitra.audit.completeness import Case, CaseTable

NEW_PHONE = "9123400011"


def _signed_in_first_time() -> str:
    """A code for a number nobody has registered; returns the code."""
    code = "123456"
    salt = "0" * 32
    now = timezone.now()
    OtpChallenge.objects.create(
        phone=NEW_PHONE,
        code_hash=services._code_hash(phone=NEW_PHONE, code=code, salt=salt),
        salt=salt,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=5),
    )
    return code


def _admin() -> User:
    return user_with_roles(Role.ADMINISTRATOR)


def _grant() -> tuple[User, object]:
    admin = _admin()
    grant = services.role_grant(
        user=UserFactory(), role=Role.AUDITOR, district=None, acting_user=admin
    )
    return admin, grant


def _address(user: User | None = None):  # type: ignore[no-untyped-def]
    user = user or UserFactory()
    return services.address_create(
        user=user, acting_user=user, label="Home", line="12, Hazratganj", pincode="226001"
    )


TABLE = CaseTable(
    modules=["sevamitra.accounts.admin", "sevamitra.accounts.services"],
    cases={
        "otp_verify": Case(
            "user.created",
            lambda code: services.otp_verify(phone=NEW_PHONE, code=code),
            _signed_in_first_time,
        ),
        "citizen_for_phone": Case(
            "user.created",
            lambda _: services.citizen_for_phone(
                phone=NEW_PHONE, name="Ravi", channel_role="ondc:buyer.example.in"
            ),
        ),
        "user_create": Case(
            "user.created",
            lambda agent: services.user_create(phone=NEW_PHONE, name="Ravi", acting_user=agent),
            lambda: user_with_roles(Role.AGENT),
        ),
        "user_update": Case(
            "user.updated",
            lambda user: services.user_update(user=user, acting_user=user, preferred_language="en"),
            lambda: UserFactory(preferred_language="hi"),
        ),
        "role_ensure": Case(
            "role.granted",
            lambda user: services.role_ensure(user=user, role=Role.PROVIDER),
            UserFactory,
        ),
        "role_grant": Case(
            "role.granted",
            lambda admin: services.role_grant(
                user=UserFactory(),
                role=Role.DISTRICT_OFFICER,
                district=DistrictFactory(),
                acting_user=admin,
            ),
            _admin,
        ),
        "role_revoke": Case(
            "role.revoked",
            lambda pair: services.role_revoke(grant=pair[1], acting_user=pair[0]),
            _grant,
        ),
        "address_create": Case("address.created", lambda _: _address()),
        "address_update": Case(
            "address.updated",
            lambda address: services.address_update(
                address=address, acting_user=address.user, label="Office"
            ),
            _address,
        ),
        "address_delete": Case(
            "address.deleted",
            lambda address: services.address_delete(address=address, acting_user=address.user),
            _address,
        ),
    },
    exempt={
        "otp_request": "a sign-in code is a short-lived credential, not a change of domain "
        "state: the challenge expires within minutes, requests are rate-limited and listed in "
        "the back office (Sign-in codes); the sign-in that creates an account is audited "
        "(otp_verify: user.created)",
        "otp_sms_body": "builds the text of the sign-in SMS",
    },
)
