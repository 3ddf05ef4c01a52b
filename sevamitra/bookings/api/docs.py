"""GET /api/v1/openapi.json: the OpenAPI 3.1 document of the whole /api/v1/ (openapi.py)."""

from django.http import HttpRequest, JsonResponse

from sevamitra.bookings.api.base import endpoint, json_response, public
from sevamitra.bookings.openapi import openapi_document


@public
def openapi(request: HttpRequest) -> JsonResponse:
    return json_response(openapi_document())


openapi_view = endpoint(GET=openapi)
