from django.urls import path

from sevamitra.callcentre import views

app_name = "callcentre"
urlpatterns = [
    path("", views.console, name="console"),
    path("calls/", views.call_open, name="call_open"),
    path("calls/<int:call_id>/", views.call_detail, name="call"),
    path("calls/<int:call_id>/register/", views.call_register, name="register"),
    path("calls/<int:call_id>/book/", views.call_book, name="book"),
    path("calls/<int:call_id>/close/", views.call_close, name="close"),
    path(
        "calls/<int:call_id>/bookings/<int:booking_id>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path(
        "calls/<int:call_id>/bookings/<int:booking_id>/reschedule/",
        views.booking_reschedule,
        name="booking_reschedule",
    ),
    path(
        "calls/<int:call_id>/bookings/<int:booking_id>/codes/",
        views.codes_resend,
        name="codes_resend",
    ),
    path("caller/", views.caller_preview, name="caller_preview"),
    path("localities/", views.localities, name="localities"),
]
