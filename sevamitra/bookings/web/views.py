"""Citizen pages (placeholder until the citizen pages land)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
