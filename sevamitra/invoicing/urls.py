from django.urls import path

from sevamitra.invoicing import views

app_name = "invoicing"
urlpatterns = [
    path("", views.office, name="office"),
    path("mine/", views.mine, name="mine"),
    path("mine/issue/<int:requisition_id>/", views.issue, name="issue"),
    path(
        "orders/<int:requisition_id>/providers/<int:provider_id>/issue/",
        views.issue_for,
        name="issue_for",
    ),
    path("<int:invoice_id>/pay/", views.pay, name="pay"),
    path("<int:invoice_id>/invoice.pdf", views.invoice_file, name="pdf"),
]
