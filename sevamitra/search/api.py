from django.http import HttpRequest, JsonResponse


def search(request: HttpRequest) -> JsonResponse:  # replaced below
    return JsonResponse({}, status=501)
