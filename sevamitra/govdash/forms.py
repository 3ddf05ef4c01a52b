"""The dashboard's filter (GET): financial year, district, service category."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.govdash import selectors
from sevamitra.govdash.permissions import DashboardScope
from sevamitra.govdash.selectors import DashboardFilter, financial_year_label, financial_year_of
from sevamitra.procurement.models import Office

FIRST_YEAR = 2025  # the first financial year with government orders on the portal


def current_year() -> int:
    return financial_year_of(selectors.today())


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Financial year"), coerce=int, required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
    )
    category = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Category.objects.filter(is_active=True).order_by("sort_order", "pk"),
        required=False,
        empty_label=_("All services"),
    )

    def __init__(self, *args, scope: DashboardScope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        this_year = current_year()
        self.fields["year"].choices = [
            (year, financial_year_label(year))
            for year in range(max(this_year, FIRST_YEAR), FIRST_YEAR - 1, -1)
        ]
        offices = Office.objects.all()
        if scope.office_ids is not None:
            offices = offices.filter(pk__in=scope.office_ids)
        # Only the districts of the offices one may see.
        self.fields["district"].queryset = District.objects.filter(
            pk__in=offices.values("district_id")
        ).order_by("name_en")

    def to_filter(self) -> DashboardFilter:
        data = self.cleaned_data if self.is_bound else {}
        district = data.get("district")
        category = data.get("category")
        return DashboardFilter(
            office_ids=self.scope.office_ids,
            year=data.get("year") or current_year(),
            district_id=district.pk if district else None,
            category_id=category.pk if category else None,
        )
