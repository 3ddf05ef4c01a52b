from django.urls import path

from sevamitra.employment import views

app_name = "employment"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("link/", views.link, name="link"),
    path("unlink/", views.unlink, name="unlink"),
    path("share/", views.share, name="share"),
    path("share/withdraw/", views.withdraw, name="withdraw"),
    path("record/", views.record, name="record"),
]
