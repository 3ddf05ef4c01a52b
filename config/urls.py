from django.contrib import admin
from django.urls import include, path

from sevamitra.core import views as core_views

admin.site.site_header = "सेवामित्र / Sevamitra"
admin.site.site_title = "Sevamitra"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    # One identity: the back office signs people in with mobile number and code too.
    path("admin/login/", core_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include("sevamitra.accounts.urls")),
    path("api/v1/", include("sevamitra.search.urls")),
    path("api/v1/auth/", include("sevamitra.accounts.api_urls")),
    path("api/v1/", include("sevamitra.bookings.api_urls")),
    path("", include("sevamitra.ondc.urls")),
    path("officer/", include("sevamitra.verification.urls")),
    path("", include("sevamitra.grievances.urls")),
    path("sevamitra/", include("sevamitra.providers.urls")),
    path("agent/", include("sevamitra.callcentre.urls")),
    path("gov/invoices/", include("sevamitra.invoicing.urls")),
    path("gov/dashboard/", include("sevamitra.govdash.urls")),
    path("gov/", include("sevamitra.procurement.urls")),
    path("audit/", include("sevamitra.audit.urls")),
    path("", include("sevamitra.sso.urls")),
    path("employment/", include("sevamitra.employment.urls")),
    path("jobs/", include("sevamitra.jobs.urls")),
    path("figures/", include("sevamitra.figures.urls")),
    path("", include("sevamitra.badges.urls")),
    path("", include("sevamitra.privacy.urls")),
    path("", include("sevamitra.bookings.urls")),
    path("", include("sevamitra.core.urls")),
]
