"""The job search form: free text, district, minimum salary, openings or fairs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sevamitra.geo.models import District
from sevamitra.jobs.feed import MAX_SALARY
from sevamitra.jobs.models import PostingKind
from sevamitra.jobs.selectors import JobFilters

MAX_QUERY = 100


class JobSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Skill, job or employer"),
        required=False,
        max_length=MAX_QUERY,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("In Hindi or English, e.g. प्लंबर, driver, nal wala."),
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    min_salary = forms.IntegerField(
        label=_("Salary at least (₹ a month)"),
        required=False,
        min_value=0,
        max_value=MAX_SALARY,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "500"}),
    )
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("Openings and fairs")),
            (PostingKind.OPENING, _("Job openings")),
            (PostingKind.FAIR, _("Job fairs")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, districts: list[District], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._districts = {d.code: d for d in districts}
        self.fields["district"].choices = [
            ("", _("All districts")),
            *((d.code, d.name) for d in districts),
        ]

    def filters(self) -> JobFilters:
        data = self.cleaned_data
        return JobFilters(
            q=data["q"].strip(),
            district=self._districts.get(data["district"]),
            min_salary=data["min_salary"],
            kind=data["kind"],
        )
