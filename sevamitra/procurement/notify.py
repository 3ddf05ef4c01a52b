"""What the officers of an office are told about their government orders, queued in the
outbox (notifications.message_queue; delivered by the worker). Each text is in the
recipient's own language."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import ngettext

from sevamitra.accounts.models import User
from sevamitra.notifications.services import message_queue
from sevamitra.procurement.models import OfficerPost, Requisition

VISITS_UNCOVERED = "requisition.visits_uncovered"


def reference(requisition: Requisition) -> str:
    return f"requisition:{requisition.pk}"


def officers_to_tell(requisition: Requisition) -> list[User]:
    """The indenting officer who made the order, and the approving officers of its office (or
    of the nearest office above it that has one); active people only."""
    people: dict[int, User] = {}
    maker = requisition.created_by
    if maker.is_active:
        people[maker.pk] = maker
    for office in requisition.office.ancestors():
        approvers = list(
            User.objects.filter(
                office_posts__office=office,
                office_posts__post=OfficerPost.APPROVING,
                office_posts__active=True,
                is_active=True,
            ).order_by("pk")
        )
        if approvers:
            people.update((user.pk, user) for user in approvers)
            break
    return list(people.values())


def visits_uncovered(requisition: Requisition, *, count: int) -> int:
    """Tell the officers that `count` visits of the order are not covered; how many messages
    were queued (all or none)."""
    queued = 0
    with transaction.atomic():
        for user in officers_to_tell(requisition):
            with translation.override(user.preferred_language or "hi"):
                body = ngettext(
                    "Government order %(number)s: %(n)d visit is not covered (a Sevamitra "
                    "declined, did not answer or cancelled). Open the order on Sevamitra to book "
                    "a replacement.",
                    "Government order %(number)s: %(n)d visits are not covered (a Sevamitra "
                    "declined, did not answer or cancelled). Open the order on Sevamitra to book "
                    "a replacement.",
                    count,
                ) % {"number": requisition.number, "n": count}
            message_queue(
                channel="sms",
                to=f"+91{user.phone}",
                body=body,
                user=user,
                event=VISITS_UNCOVERED,
                reference=reference(requisition),
            )
            queued += 1
    return queued
