from django.urls import path

from sevamitra.govdash import views

app_name = "govdash"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders.csv", views.orders_csv, name="orders_csv"),
]
