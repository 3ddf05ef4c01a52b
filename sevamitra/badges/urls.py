from django.urls import path

from sevamitra.badges import views

app_name = "badges"
urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/offline/", views.offline, name="offline"),
    path("verify/<str:token>", views.verify, name="verify"),
    path("sevamitra/<int:provider_id>/badge.pdf", views.card, name="card"),
]
