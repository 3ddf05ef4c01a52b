from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sevamitra.core.errors import DomainError, error_response
from sevamitra.search.params import parse_search_params
from sevamitra.search.selectors import SearchHit, search_providers


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    provider = hit.offer.provider
    return {
        "id": provider.pk,
        "display_name": provider.display_name,
        "name_hi": provider.name_hi,
        "name_latin": provider.name_latin,
        "photo_url": provider.photo.url if provider.photo else None,
        "district": provider.district.name,
        "distance_km": round(hit.distance_km, 2),
        "rating": {"average": float(provider.rating_avg), "count": provider.rating_count},
        "experience_years": provider.experience_years,
        "languages": provider.languages,
        "quote": hit.quote.as_dict(),
        "terms": {
            "free_cancellation_hours": provider.free_cancellation_hours,
            "cancellation_fee": str(provider.cancellation_fee),
            "included": provider.terms_included,
        },
    }


@require_safe
def search(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/search — verified providers free for a slot near a point."""
    now = timezone.now()
    try:
        query = parse_search_params(request.GET, now=now)
    except DomainError as exc:
        return error_response(exc)
    hits, has_more = search_providers(query, now=now)
    category = query.category
    body = {
        "category": {
            "slug": category.slug,
            "name": category.name,
            "name_en": category.name_en,
            "name_hi": category.name_hi,
            "pricing_unit": category.pricing_unit,
        },
        "location": {"lat": query.lat, "lng": query.lng, "pincode": query.pincode},
        "slot": {
            "start": timezone.localtime(query.start).isoformat(),
            "end": timezone.localtime(query.end).isoformat(),
        },
        "limit": query.limit,
        "offset": query.offset,
        "has_more": has_more,
        "results": [_hit_json(hit) for hit in hits],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
