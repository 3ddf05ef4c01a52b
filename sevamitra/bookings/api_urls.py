"""/api/v1/ of the booking engine (included by config/urls.py). Every route here is in the
OpenAPI document (openapi.py); tests/test_api_openapi.py checks that none is missing."""

from django.urls import path

from sevamitra.bookings.api import actions, bookings, docs, series

app_name = "bookings_api"
B = "bookings/<int:booking_id>"
urlpatterns = [
    path("openapi.json", docs.openapi_view, name="openapi"),
    path("quotes", bookings.quotes, name="quotes"),
    path("holds", bookings.holds, name="holds"),
    path("holds/<int:hold_id>", bookings.hold, name="hold"),
    path("bookings", bookings.bookings, name="bookings"),
    path(B, bookings.booking, name="booking"),
    path(f"{B}/accept", actions.accept_view, name="accept"),
    path(f"{B}/decline", actions.decline_view, name="decline"),
    path(f"{B}/en-route", actions.en_route_view, name="en_route"),
    path(f"{B}/start", actions.start_view, name="start"),
    path(f"{B}/finish", actions.finish_view, name="finish"),
    path(f"{B}/cancel", actions.cancel_view, name="cancel"),
    path(f"{B}/cancellation-fee", actions.cancellation_fee_view, name="cancellation_fee"),
    path(f"{B}/reschedule", actions.reschedule_view, name="reschedule"),
    path(f"{B}/no-show", actions.no_show_view, name="no_show"),
    path(f"{B}/customer-absent", actions.customer_absent_view, name="customer_absent"),
    path(f"{B}/codes", actions.codes_view, name="codes"),
    path(f"{B}/payments", actions.payments_view, name="payments"),
    path(f"{B}/ratings", actions.ratings_view, name="ratings"),
    path(f"{B}/substitutes", actions.substitutes_view, name="substitutes"),
    path(f"{B}/substitute", actions.substitute_view, name="substitute"),
    path("series", series.series_collection, name="series"),
    path("series/<int:series_id>", series.series_item, name="series_detail"),
    path("series/<int:series_id>/cancel", series.series_cancel_view, name="series_cancel"),
]
