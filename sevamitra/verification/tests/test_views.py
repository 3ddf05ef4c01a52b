"""The officer's pages (/officer/verification/) and the Sevamitra's side of verification, over
HTTP: who may open what, what is shown, what a decision does, and its error messages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sevamitra.accounts.models import Role
from sevamitra.accounts.tests.factories import user_with_roles
from sevamitra.badges.models import Badge
from sevamitra.providers.models import Document, Provider, VerificationStatus
from sevamitra.providers.tests.factories import ProviderFactory, district, police_document
from sevamitra.verification import services
from sevamitra.verification.models import Decision, VerificationDecision
from sevamitra.verification.tests.factories import officer_for, pending_provider

pytestmark = pytest.mark.django_db
S = VerificationStatus
QUEUE = reverse("verification:queue")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_url(provider: Provider) -> str:
    return reverse("verification:provider", args=[provider.pk])


def listed(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return [provider.pk for provider, _label in response.context["rows"]]


def make_waiting(provider: Provider, created_days_ago: int) -> Provider:
    Provider.objects.filter(pk=provider.pk).update(
        created_at=timezone.now() - dt.timedelta(days=created_days_ago), status_changed_at=None
    )
    return provider


# --- who may open the pages --------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client):
    provider = pending_provider()
    for url in (QUEUE, page_url(provider)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/signin/?next={url}"


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.PROVIDER, Role.AGENT, Role.AUDITOR])
def test_other_roles_are_refused(client, role):
    provider = pending_provider()
    client.force_login(user_with_roles(role))
    for url in (QUEUE, page_url(provider)):
        response = client.get(url)
        assert response.status_code == 403
        assert "केवल ज़िला अधिकारियों के लिए" in response.content.decode()
    response = client.post(page_url(provider), {"decision": "approve"})
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING


def test_the_provider_cannot_open_their_own_verification(client):
    provider = pending_provider()
    client.force_login(provider.user)
    assert client.get(page_url(provider)).status_code == 403


def test_an_officer_of_another_district_gets_404_and_changes_nothing(client):
    provider = pending_provider()
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER, district=district("KANPUR NAGAR")))
    assert listed(client.get(QUEUE)) == []
    assert client.get(page_url(provider)).status_code == 404
    documents = [d.pk for d in provider.documents.all()]
    response = client.post(page_url(provider), {"decision": "approve", "documents": documents})
    assert response.status_code == 404
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING
    assert client.get(reverse("verification:provider", args=[999999])).status_code == 404


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_the_officers_district_oldest_first_with_counts(client):
    newest = make_waiting(pending_provider(name_latin="Newest"), 1)
    oldest = make_waiting(pending_provider(name_latin="Oldest"), 9)
    resubmitted = pending_provider(name_latin="Again")
    officer = officer_for(resubmitted)
    services.verification_request_changes(
        provider=resubmitted, reason="photo_unclear", acting_user=officer
    )
    waiting = pending_provider(name_latin="Waiting")  # asked for changes: their turn
    services.verification_request_changes(
        provider=waiting, reason="photo_unclear", acting_user=officer
    )
    services.verification_resubmit(provider=resubmitted, acting_user=resubmitted.user)
    ProviderFactory(name_latin="Verified")  # nothing to do
    pending_provider(district=district("KANPUR NAGAR"))  # another district

    due = pending_provider(name_latin="Due")
    services.verification_approve(
        provider=due,
        documents_checked=due.documents.all(),
        acting_user=officer,
        today=timezone.localdate() - dt.timedelta(days=800),
    )
    renewed = pending_provider(name_latin="Renewed", offers=[("cook", "200", "0")], police_days=5)
    services.verification_approve(
        provider=renewed, documents_checked=renewed.documents.all(), acting_user=officer
    )
    police_document(renewed, timezone.localdate() + dt.timedelta(days=365))

    client.force_login(officer)
    response = client.get(QUEUE)
    assert listed(response) == [oldest.pk, newest.pk, resubmitted.pk, due.pk, renewed.pk]
    queue = response.context["queue"]
    assert queue.counts == {
        "new": 2,
        "resubmitted": 1,
        "lapsed": 0,
        "reverification_due": 1,
        "renewed_certificate": 1,
    }
    assert (queue.total, queue.waiting_for_provider) == (5, 1)
    page = response.content.decode()
    assert "5 सेवामित्र आपके फ़ैसले का इंतज़ार कर रहे हैं" in page
    assert "नया प्रमाण पत्र जाँचना है" in page
    assert "दोबारा सत्यापन बाकी" in page

    assert listed(client.get(QUEUE, {"kind": "resubmitted"})) == [resubmitted.pk]
    assert listed(client.get(QUEUE, {"kind": "renewed_certificate"})) == [renewed.pk]
    assert listed(client.get(QUEUE, {"kind": "nonsense"})) == listed(response)


def test_an_administrator_sees_every_district_and_filters_by_one(client):
    lucknow = pending_provider()
    kanpur_district = district("KANPUR NAGAR")
    kanpur = pending_provider(district=kanpur_district)
    client.force_login(user_with_roles(Role.ADMINISTRATOR))
    assert sorted(listed(client.get(QUEUE))) == sorted([lucknow.pk, kanpur.pk])
    assert listed(client.get(QUEUE, {"district": kanpur_district.pk})) == [kanpur.pk]
    assert sorted(listed(client.get(QUEUE, {"district": "x"}))) == sorted([lucknow.pk, kanpur.pk])


def test_the_queue_marks_a_missing_identity_document_and_police_services(client):
    provider = ProviderFactory(verification_status=S.PENDING, offers=[("babysitter", "150", "0")])
    client.force_login(officer_for(provider))
    page = client.get(QUEUE).content.decode()
    assert "अभी कोई पहचान पत्र नहीं।" in page
    assert "(पुलिस सत्यापन)" in page


def test_the_queue_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    officer = officer_for(pending_provider())
    for _ in range(5):
        pending_provider()
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert len(listed(client.get(QUEUE))) == 6


def test_the_queue_is_empty(client):
    client.force_login(user_with_roles(Role.DISTRICT_OFFICER, district=district("LUCKNOW")))
    page = client.get(QUEUE).content.decode()
    assert "कोई इंतज़ार में नहीं है। शाबाश!" in page


# --- one provider's page and the decision --------------------------------------------------------


def test_the_page_shows_the_file_for_checking(client):
    provider = pending_provider(offers=[("babysitter", "150", "20"), ("electrician", "300", "0")])
    document = services_police_with_file(provider)
    client.force_login(officer_for(provider))
    response = client.get(page_url(provider))
    assert response.status_code == 200
    page = response.content.decode()
    assert provider.name_hi in page and "Sunita Devi" in page
    assert "₹150.00" in page
    assert "पुलिस सत्यापन ज़रूरी" in page
    assert "••••4821" in page and "UPPOL/LKO/9" in page
    link = reverse("providers:document_file", args=[document.pk])
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200
    assert [c for c, _label in response.context["form"].fields["decision"].choices] == [
        "approve",
        "changes",
        "reject",
    ]


def services_police_with_file(provider: Provider) -> Document:
    from sevamitra.providers.services import document_add_police_verification

    return document_add_police_verification(
        provider=provider,
        reference="UPPOL/LKO/9",
        expires_on=timezone.localdate() + dt.timedelta(days=300),
        file=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        acting_user=provider.user,
    )


def test_approving_from_the_page(client):
    provider = pending_provider()
    officer = officer_for(provider)
    client.force_login(officer)
    documents = [d.pk for d in provider.documents.all()]
    response = client.post(
        page_url(provider), {"decision": "approve", "documents": documents}, follow=True
    )
    assert response.redirect_chain == [(QUEUE, 302)]
    assert "मंज़ूर। सेवामित्र पहचान पत्र जारी हुआ और सेवामित्र को एसएमएस से बता दिया गया।" in (
        response.content.decode()
    )
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED
    assert Badge.objects.filter(provider=provider, issued_by=officer).count() == 1


def test_approval_refused_for_a_missing_certificate_shows_the_services(client):
    provider = pending_provider(offers=[("cook", "200", "0")])
    client.force_login(officer_for(provider))
    documents = [d.pk for d in provider.documents.all()]
    response = client.post(page_url(provider), {"decision": "approve", "documents": documents})
    assert response.status_code == 200
    assert response.context["form"].errors["documents"] == [
        "इन सेवाओं के लिए आज मान्य पुलिस सत्यापन प्रमाण पत्र ज़रूरी है: रसोइया। जाँचा हुआ "
        "मान्य प्रमाण पत्र चुनें, या बदलाव माँगें।"
    ]
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING


def test_asking_for_changes_needs_a_reason(client):
    provider = pending_provider()
    client.force_login(officer_for(provider))
    response = client.post(page_url(provider), {"decision": "changes", "note": "फ़ोटो"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["कारण चुनें: सेवामित्र इसे अपनी भाषा में देखेंगे।"]
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": "reject", "reason": "other"}, "note"),
        ({"decision": "reject", "reason": "duplicate", "note": "2345 6789 0124"}, "note"),
        ({"decision": "approve", "documents": ["999999"]}, "documents"),
        ({"decision": "promote"}, "decision"),
        ({}, "decision"),
    ],
)
def test_bad_input_is_a_form_error(client, data, field):
    provider = pending_provider()
    client.force_login(officer_for(provider))
    response = client.post(page_url(provider), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING
    assert not VerificationDecision.objects.exists()


def test_rejecting_from_the_page(client):
    provider = pending_provider()
    client.force_login(officer_for(provider))
    response = client.post(
        page_url(provider), {"decision": "reject", "reason": "duplicate", "note": ""}
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.verification_status == S.REJECTED
    page = client.get(page_url(provider)).content.decode()
    assert "इस सेवामित्र पर अभी यहाँ कोई फ़ैसला नहीं लिया जा सकता।" in page
    assert "यह व्यक्ति पहले से पंजीकृत है" in page  # the history


def test_a_verified_provider_due_is_offered_re_verification_only(client):
    provider = pending_provider()
    officer = officer_for(provider)
    services.verification_approve(
        provider=provider, documents_checked=provider.documents.all(), acting_user=officer
    )
    client.force_login(officer)
    form = client.get(page_url(provider)).context["form"]
    assert [c for c, _label in form.fields["decision"].choices] == ["approve"]
    response = client.post(page_url(provider), {"decision": "changes", "reason": "other"})
    assert "decision" in response.context["form"].errors
    provider.refresh_from_db()
    assert provider.verification_status == S.VERIFIED


# --- the Sevamitra's side ----------------------------------------------------------------------


def test_the_provider_sees_the_reason_in_hindi_and_resubmits(client):
    provider = pending_provider()
    services.verification_request_changes(
        provider=provider,
        reason="police_unreadable",
        note="साफ़ फ़ोटो लगाएँ",
        acting_user=officer_for(provider),
    )
    client.force_login(provider.user)
    page = client.get(reverse("providers:pending")).content.decode()
    assert "पुलिस सत्यापन प्रमाण पत्र पढ़ा नहीं जा रहा" in page
    assert "साफ़ फ़ोटो लगाएँ" in page
    assert "बदलाव माँगे गए" in page
    dashboard = client.get(reverse("providers:dashboard")).content.decode()
    assert "पुलिस सत्यापन प्रमाण पत्र पढ़ा नहीं जा रहा" in dashboard

    response = client.post(reverse("providers:verification_resubmit"), follow=True)
    assert response.redirect_chain == [(reverse("providers:pending"), 302)]
    assert "आपका पंजीकरण दोबारा भेज दिया गया।" in response.content.decode()
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING
    assert VerificationDecision.objects.latest("pk").decision == Decision.RESUBMITTED


def test_the_provider_sees_the_reason_in_english_when_they_chose_english(client):
    provider = pending_provider()
    services.verification_request_changes(
        provider=provider, reason="name_mismatch", acting_user=officer_for(provider)
    )
    client.force_login(provider.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("providers:pending")).content.decode()
    assert "The name does not match the ID document" in page


def test_resubmitting_when_not_asked_is_refused_with_a_message(client):
    provider = pending_provider()
    client.force_login(provider.user)
    response = client.post(reverse("providers:verification_resubmit"), follow=True)
    assert "आपके पंजीकरण में कोई बदलाव नहीं माँगा गया है।" in response.content.decode()
    provider.refresh_from_db()
    assert provider.verification_status == S.PENDING


def test_resubmit_needs_sign_in_and_post(client):
    url = reverse("providers:verification_resubmit")
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signin/")
    provider = pending_provider()
    client.force_login(provider.user)
    assert client.get(url).status_code == 405


def test_the_rejected_provider_sees_why(client):
    provider = pending_provider()
    services.verification_reject(
        provider=provider, reason="duplicate", acting_user=officer_for(provider)
    )
    client.force_login(provider.user)
    page = client.get(reverse("providers:pending")).content.decode()
    assert "ज़िला कार्यालय ने आपका पंजीकरण स्वीकार नहीं किया।" in page
    assert "यह व्यक्ति पहले से पंजीकृत है" in page
    assert "दोबारा भेजें" not in page


def test_the_provider_adds_a_renewed_certificate_from_the_profile(client):
    provider = ProviderFactory(offers=[("babysitter", "150", "0")])
    police_document(provider, timezone.localdate() + dt.timedelta(days=5))
    client.force_login(provider.user)
    dashboard = client.get(reverse("providers:dashboard")).content.decode()
    assert "नया प्रमाण पत्र जोड़ें" in dashboard
    profile = client.get(reverse("providers:profile")).content.decode()
    assert f'href="{reverse("providers:documents_add")}"' in profile

    until = timezone.localdate() + dt.timedelta(days=365)
    response = client.post(
        reverse("providers:documents_add"),
        {
            "police_reference": "UPPOL/LKO/2027/5",
            "police_expires_on": until.isoformat(),
            "police_file": SimpleUploadedFile("new.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("providers:profile")
    renewed = provider.documents.get(expires_on=until)
    assert renewed.reference == "UPPOL/LKO/2027/5" and renewed.file
    assert "नया प्रमाण पत्र जोड़ें" not in client.get(reverse("providers:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, None, "पहचान पत्र या पुलिस सत्यापन प्रमाण पत्र भरें।"),
        (
            {"police_reference": "UPPOL/1"},
            "police_expires_on",
            "पुलिस सत्यापन प्रमाण पत्र के लिए ज़रूरी।",
        ),
        ({"id_type": "aadhaar", "last4": "234567890123"}, "last4", None),
    ],
)
def test_adding_a_document_with_bad_input_is_a_form_error(client, data, field, message):
    provider = ProviderFactory()
    client.force_login(provider.user)
    response = client.post(reverse("providers:documents_add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    key = field or "__all__"
    assert key in errors
    if message:
        assert errors[key] == [message]
    assert not provider.documents.exists()


def test_adding_an_expired_certificate_is_refused(client):
    provider = ProviderFactory()
    client.force_login(provider.user)
    response = client.post(
        reverse("providers:documents_add"),
        {
            "police_reference": "UPPOL/1",
            "police_expires_on": timezone.localdate().isoformat(),
            "police_file": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.context["form"].errors["police_expires_on"] == [
        "इस पुलिस सत्यापन की वैधता पहले ही खत्म हो चुकी है।"
    ]
    assert not provider.documents.exists()


def test_documents_add_needs_sign_in(client):
    response = client.get(reverse("providers:documents_add"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/signin/")


def test_the_officer_sees_the_renewed_certificate_to_check(client):
    provider = pending_provider(offers=[("cook", "200", "0")], police_days=3)
    officer = officer_for(provider)
    services.verification_approve(
        provider=provider, documents_checked=provider.documents.all(), acting_user=officer
    )
    client.force_login(provider.user)
    client.post(
        reverse("providers:documents_add"),
        {
            "police_reference": "UPPOL/NEW",
            "police_expires_on": (timezone.localdate() + dt.timedelta(days=400)).isoformat(),
            "police_file": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        },
    )
    client.force_login(officer)
    response = client.get(QUEUE, {"kind": "renewed_certificate"})
    assert listed(response) == [provider.pk]
    page = client.get(page_url(provider)).content.decode()
    assert "अभी जाँचा नहीं गया" in page
