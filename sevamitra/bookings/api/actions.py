"""What can be done to one booking: POST /api/v1/bookings/{id}/<action>, and the two reads
shown before acting (cancellation fee, substitutes).

A booking the caller may not see is 404 (its existence is not revealed); one they may see
but not change in this way is 403, from the service's own permission check.
"""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from sevamitra.accounts.models import User
from sevamitra.bookings import selectors, services
from sevamitra.bookings.api import render
from sevamitra.bookings.api.base import (
    NotFound,
    SignedInRequest,
    endpoint,
    json_body,
    json_response,
    signed_in,
)
from sevamitra.bookings.api.bookings import booking_or_404
from sevamitra.bookings.models import Booking, CancelledBy, PaymentMethod
from sevamitra.bookings.substitutes import booking_substitute_accept, substitutes_for

CODE_MAX_LENGTH = 12
# Stars are checked by the service (its code, invalid_stars); this only keeps them integers.
STARS_RANGE = (-1000, 1000)


def _refreshed(request: SignedInRequest, booking: Booking) -> JsonResponse:
    """The booking as it is now (for services that return something else)."""
    return json_response(render.booking_json(booking_or_404(request, booking.pk)))


def canceller(user: User, booking: Booking) -> str:
    """Who cancels follows from the caller's relation to the booking: its provider cancels
    as the provider; the customer, or an agent for the customer, as the customer."""
    if booking.customer_id != user.pk and booking.provider.user_id == user.pk:
        return CancelledBy.PROVIDER
    return CancelledBy.CUSTOMER


@signed_in
def accept(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    # The new codes go to the customer by SMS; the provider never sees them.
    placed = services.booking_accept(booking=booking, acting_user=request.user)
    return json_response(render.booking_json(placed.booking))


@signed_in
def decline(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    reason = fields.text("reason")
    fields.check()
    services.booking_decline(booking=booking, reason=reason or "", acting_user=request.user)
    return _refreshed(request, booking)


@signed_in
def en_route(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    booking = services.booking_mark_en_route(booking=booking, acting_user=request.user)
    return json_response(render.booking_json(booking))


def _code(request: HttpRequest) -> str:
    fields = json_body(request)
    code = fields.text("code", required=True, max_length=CODE_MAX_LENGTH)
    fields.check()
    assert code is not None
    return code


@signed_in
def start(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    code = _code(request)
    booking = services.booking_start(booking=booking, code=code, acting_user=request.user)
    return json_response(render.booking_json(booking))


@signed_in
def finish(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    code = _code(request)
    booking = services.booking_finish(booking=booking, code=code, acting_user=request.user)
    return json_response(render.booking_json(booking))


@signed_in
def cancel(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    reason = fields.text("reason")
    fields.check()
    booking = services.booking_cancel(
        booking=booking,
        by=canceller(request.user, booking),
        reason=reason or "",
        acting_user=request.user,
    )
    return json_response(render.booking_json(booking))


@signed_in
def cancellation_fee(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """GET: what cancelling now would cost the customer, shown before they confirm."""
    booking = booking_or_404(request, booking_id)
    fee = services.cancellation_fee_preview(booking=booking)
    return json_response(render.cancellation_fee_json(booking, fee))


@signed_in
def reschedule(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    new_start = fields.datetime("start", required=True)
    new_end = fields.datetime("end", required=True)
    fields.check()
    assert new_start is not None and new_end is not None
    booking = services.booking_reschedule(
        booking=booking, start=new_start, end=new_end, acting_user=request.user
    )
    return json_response(render.booking_json(booking))


@signed_in
def no_show(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    booking = services.booking_report_no_show(booking=booking, acting_user=request.user)
    return json_response(render.booking_json(booking))


@signed_in
def customer_absent(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """The provider came and the customer was not there (the customer's no-show)."""
    booking = booking_or_404(request, booking_id)
    booking = services.booking_report_customer_absent(booking=booking, acting_user=request.user)
    return json_response(render.booking_json(booking))


@signed_in
def codes(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """New start and end codes for the customer (or the agent on the phone with them)."""
    booking = booking_or_404(request, booking_id)
    new_codes = services.booking_codes_reissue(booking=booking, acting_user=request.user)
    return json_response({"booking_id": booking.pk, "codes": render.codes_json(new_codes)})


@signed_in
def payment(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    method = fields.choice("method", PaymentMethod.values, required=True)
    amount = fields.amount("amount", required=True)
    reference = fields.text("reference", max_length=64)
    fields.check()
    assert method is not None and amount is not None
    paid = services.payment_record(
        booking=booking,
        method=method,
        amount=amount,
        reference=reference or "",
        acting_user=request.user,
    )
    return json_response(render.payment_json(paid), status=201)


@signed_in
def rating(request: SignedInRequest, booking_id: int) -> JsonResponse:
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    stars = fields.integer("stars", low=STARS_RANGE[0], high=STARS_RANGE[1], required=True)
    text = fields.text("text")
    fields.check()
    assert stars is not None
    added = services.rating_add(
        booking=booking, stars=stars, text=text or "", acting_user=request.user
    )
    return json_response(render.rating_json(added), status=201)


@signed_in
def substitutes(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """GET: free verified providers who could take this booking's time instead."""
    booking = booking_or_404(request, booking_id)
    offers = substitutes_for(booking)
    return json_response(
        {
            "booking_id": booking.pk,
            "results": [render.substitute_json(offer, booking.category) for offer in offers],
        }
    )


@signed_in
def substitute(request: SignedInRequest, booking_id: int) -> JsonResponse:
    """POST: the customer takes one of the proposed substitutes."""
    booking = booking_or_404(request, booking_id)
    fields = json_body(request)
    offer_id = fields.integer("offer_id", required=True)
    fields.check()
    assert offer_id is not None
    offer = selectors.offer_get_by_id(offer_id=offer_id)
    if offer is None:
        raise NotFound(_("There is no such offer."))
    placed = booking_substitute_accept(booking=booking, offer=offer, acting_user=request.user)
    return json_response(render.booking_json(placed.booking, codes=placed.codes), status=201)


accept_view = endpoint(POST=accept)
decline_view = endpoint(POST=decline)
en_route_view = endpoint(POST=en_route)
start_view = endpoint(POST=start)
finish_view = endpoint(POST=finish)
cancel_view = endpoint(POST=cancel)
cancellation_fee_view = endpoint(GET=cancellation_fee)
reschedule_view = endpoint(POST=reschedule)
no_show_view = endpoint(POST=no_show)
customer_absent_view = endpoint(POST=customer_absent)
codes_view = endpoint(POST=codes)
payments_view = endpoint(POST=payment)
ratings_view = endpoint(POST=rating)
substitutes_view = endpoint(GET=substitutes)
substitute_view = endpoint(POST=substitute)
