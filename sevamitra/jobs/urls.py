from django.urls import path

from sevamitra.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.search, name="search"),
    path("for-me/", views.for_me, name="for_me"),
    path("<int:posting_id>/", views.detail, name="detail"),
]
