from django.urls import path

from sevamitra.bookings.web import views

app_name = "bookings"
urlpatterns = [
    path("my/bookings/", views.my_bookings, name="mine"),
]
