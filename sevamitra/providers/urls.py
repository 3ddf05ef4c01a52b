from django.urls import path

from sevamitra.providers.web import address, views

app_name = "providers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("register/", views.register, name="register"),
    path("register/done/", views.pending, name="pending"),
    path("register/<slug:step>/", views.register_step, name="register_step"),
    path("profile/", views.profile, name="profile"),
    path("profile/<slug:step>/", views.profile_edit, name="profile_edit"),
    path("address/", address.business_address, name="address"),
    path("jobs/<int:booking_id>/", views.job, name="job"),
    path("leave/", views.leave, name="leave"),
    path("leave/<int:leave_id>/cancel/", views.leave_cancel, name="leave_cancel"),
    path("earnings/", views.earnings, name="earnings"),
    path("<int:provider_id>/photo", views.photo, name="photo"),
    path("documents/<int:document_id>/file", views.document_file, name="document_file"),
    path("documents/add/", views.documents_add, name="documents_add"),
    path("verification/resubmit/", views.verification_resubmit, name="verification_resubmit"),
]
