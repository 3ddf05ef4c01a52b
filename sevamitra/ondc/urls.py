"""ONDC routes, included at the site root (config/urls.py): the ten buyer-app actions under
/ondc/ (our ONDC_SUBSCRIBER_URL, the bpp_uri), the registry's on_subscribe callback, and the
site-verification page the registry reads at https://<subscriber_id>/."""

from django.urls import path

from sevamitra.ondc import views
from sevamitra.ondc.handlers import ACTIONS

app_name = "ondc"
urlpatterns = [
    path("ondc-site-verification.html", views.site_verification, name="site_verification"),
    path("ondc/on_subscribe", views.on_subscribe, name="on_subscribe"),
    *(
        path(f"ondc/{action}", views.endpoint, {"action": action}, name=action)
        for action in ACTIONS
    ),
]
