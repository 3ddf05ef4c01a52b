from django.urls import path

from sevamitra.procurement import views

app_name = "procurement"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/new/", views.new, name="new"),
    path("orders/<int:pk>/", views.detail, name="detail"),
    path("orders/<int:pk>/edit/", views.edit, name="edit"),
    path("orders/<int:pk>/submit/", views.submit, name="submit"),
    path("orders/<int:pk>/decide/", views.decide, name="decide"),
    path("orders/<int:pk>/certify/", views.certify, name="certify"),
    path("orders/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("orders/<int:pk>/certificate.pdf", views.certificate_file, name="certificate"),
    path("orders/<int:pk>/replacement/", views.replacement, name="replacement"),
    path("orders/<int:pk>/attendance-sheet/", views.attendance_sheet, name="attendance_sheet"),
    path("approvals/", views.queue, name="queue"),
]
