"""Grievance pages, included at the root: their paths are written in full here."""

from django.urls import path

from sevamitra.grievances.views import _common, citizen, officer, provider

app_name = "grievances"
urlpatterns = [
    # The citizen's complaints.
    path("complaints/", citizen.complaint_list, name="mine"),
    path("complaints/new/<int:booking_id>/", citizen.complaint_new, name="new"),
    path("complaints/<int:complaint_id>/", citizen.complaint_detail, name="detail"),
    path("complaints/<int:complaint_id>/reply/", citizen.complaint_reply, name="reply"),
    path("complaints/<int:complaint_id>/close/", citizen.complaint_withdraw, name="withdraw"),
    # Photos and PDFs of a complaint, for whoever may see it.
    path("complaints/files/<int:attachment_id>", _common.attachment, name="attachment"),
    # The Sevamitra's.
    path("sevamitra/complaints/", provider.complaint_list, name="provider_list"),
    path(
        "sevamitra/complaints/<int:complaint_id>/",
        provider.complaint_detail,
        name="provider_detail",
    ),
    path(
        "sevamitra/complaints/<int:complaint_id>/respond/",
        provider.complaint_respond,
        name="provider_respond",
    ),
    path("sevamitra/sanctions/<int:sanction_id>/appeal/", provider.appeal_new, name="appeal"),
    # The officers'.
    path("officer/grievances/", officer.complaint_list, name="officer_list"),
    path(
        "officer/grievances/<int:complaint_id>/",
        officer.complaint_detail,
        name="officer_detail",
    ),
    path(
        "officer/grievances/<int:complaint_id>/hearing/",
        officer.complaint_hearing,
        name="officer_hearing",
    ),
    path(
        "officer/grievances/<int:complaint_id>/decide/",
        officer.complaint_decide,
        name="officer_decide",
    ),
    path("officer/sanctions/<int:sanction_id>/lift/", officer.sanction_lift, name="sanction_lift"),
    path("officer/appeals/<int:appeal_id>/", officer.appeal_detail, name="appeal_detail"),
]
