from django.urls import path

from sevamitra.verification import views

app_name = "verification"
urlpatterns = [
    path("verification/", views.queue, name="queue"),
    path("verification/<int:provider_id>/", views.provider, name="provider"),
]
