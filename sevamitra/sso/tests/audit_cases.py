"""Audit completeness of single sign-on (audit/tests/test_completeness.py): registering a
portal, consent given and withdrawn, and every refused request write their entries; the
bookkeeping of tokens and codes (credentials, like sign-in codes) says why it writes none."""

from __future__ import annotations

from sevamitra.accounts.tests.factories import UserFactory
from sevamitra.audit.completeness import Case, CaseTable
from sevamitra.sso import services
from sevamitra.sso.models import RedeemedCode
from sevamitra.sso.tests.factories import portal_client


def _portal():  # type: ignore[no-untyped-def]
    return portal_client()[0]


def _consent():  # type: ignore[no-untyped-def]
    user = UserFactory()
    return services.consent_grant(
        user=user, application=_portal(), scopes=["openid"], acting_user=user
    )


def _redeemed() -> RedeemedCode:
    return RedeemedCode.objects.create(
        code_hash="0" * 64, application=_portal(), user=UserFactory()
    )


TABLE = CaseTable(
    modules=["sevamitra.sso.services"],
    cases={
        "client_register": Case(
            "sso.client_registered",
            lambda _: services.client_register(
                name_en="Sewayojan",
                name_hi="सेवायोजन",
                redirect_uris=["https://sewayojan.example.in/cb"],
                scopes=["openid", "profile"],
                acting_user=None,
            ),
        ),
        "consent_grant": Case(
            "sso.consent_granted",
            lambda application: services.consent_grant(
                user=(user := UserFactory()),
                application=application,
                scopes=["openid", "profile"],
                acting_user=user,
            ),
            _portal,
        ),
        "consent_withdraw": Case(
            "sso.consent_withdrawn",
            lambda consent: services.consent_withdraw(consent=consent, acting_user=consent.user),
            _consent,
        ),
        "refusal_record": Case(
            "sso.refused",
            lambda application: services.refusal_record(
                reason="scope_not_allowed", error="invalid_scope", application=application
            ),
            _portal,
        ),
        "code_replay_refuse": Case(
            "sso.refused",
            lambda redeemed: services.code_replay_refuse(redeemed=redeemed),
            _redeemed,
        ),
    },
    exempt={
        "sso_person_erase": "a step of privacy.person_erase, inside its transaction; its "
        "person.erased entry records the erasure",
        "code_redeemed_record": "remembers a spent authorization code by its hash so that a "
        "replay is caught (credential bookkeeping, like a sign-in code); the replay itself is "
        "audited (code_replay_refuse: sso.refused)",
        "tokens_revoke_issued": "revokes tokens made for a request that is then refused, so "
        "never handed out; the refusal is audited by the token endpoint (sso.refused)",
        "tokens_prune": "deletes expired tokens and codes (credentials past their lifetime, "
        "not domain state), like expired sign-in codes",
    },
)
