from django.urls import path

from sevamitra.providers.web import views

app_name = "providers"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("<int:provider_id>/photo", views.photo, name="photo"),
    path("", views.dashboard, name="dashboard"),
]
