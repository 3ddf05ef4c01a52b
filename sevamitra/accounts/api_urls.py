from django.urls import path

from sevamitra.accounts import api

app_name = "accounts_api"
urlpatterns = [
    path("csrf", api.csrf, name="csrf"),
    path("otp/request", api.otp_request_view, name="otp_request"),
    path("otp/verify", api.otp_verify_view, name="otp_verify"),
    path("logout", api.logout_view, name="logout"),
]
