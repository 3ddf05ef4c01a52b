from django.urls import path

from sevamitra.core import views

app_name = "core"
urlpatterns: list = []
