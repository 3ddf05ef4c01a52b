from django.db.models import QuerySet

from sevamitra.catalog.models import Category


def categories_active() -> QuerySet[Category]:
    """The catalogue as people see it, in display order."""
    return Category.objects.filter(is_active=True).order_by("sort_order", "name_en")
