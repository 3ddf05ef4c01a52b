from django.urls import path

from sevamitra.callcentre import views

app_name = "callcentre"
urlpatterns = [
    path("", views.console, name="console"),
]
