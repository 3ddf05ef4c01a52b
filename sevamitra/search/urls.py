from django.urls import path

from sevamitra.search import api

app_name = "search"
urlpatterns = [path("search", api.search, name="search")]
