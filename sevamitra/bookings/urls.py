"""The citizen's pages: booking from a search result, their bookings and saved addresses
(the address views are accounts', under /my/ with the rest of the person's own pages)."""

from django.urls import path

from sevamitra.accounts import views as account_views
from sevamitra.bookings.web import book, search, views

app_name = "bookings"
urlpatterns = [
    path("places/", search.places, name="places"),
    path("book/", book.book, name="book"),
    path("my/bookings/", views.my_bookings, name="mine"),
    path("my/bookings/<int:booking_id>/", views.booking_detail, name="detail"),
    path("my/bookings/<int:booking_id>/booked/", book.booked, name="booked"),
    path("my/bookings/<int:booking_id>/codes/", views.booking_codes, name="codes"),
    path("my/bookings/<int:booking_id>/reschedule/", views.booking_reschedule, name="reschedule"),
    path("my/bookings/<int:booking_id>/cancel/", views.booking_cancel, name="cancel"),
    path("my/bookings/<int:booking_id>/rate/", views.booking_rate, name="rate"),
    path("my/series/<int:series_id>/", views.series_detail, name="series"),
    path("my/addresses/", account_views.address_list, name="addresses"),
    path("my/addresses/new/", account_views.address_add, name="address_add"),
    path("my/addresses/<int:address_id>/", account_views.address_edit, name="address_edit"),
    path(
        "my/addresses/<int:address_id>/delete/",
        account_views.address_delete,
        name="address_delete",
    ),
]
