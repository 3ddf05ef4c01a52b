"""The public outcome figures: /figures/ (no sign-in, Hindi and English), and the same figures
as /figures/figures.csv and /figures/figures.json. GET only; every figure comes from
figures.selectors (cached): a page served from the cache asks the database nothing."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sevamitra.figures import present, selectors
from sevamitra.figures.forms import FigureFilterForm
from sevamitra.govdash.views import csv_cell

FILTER_FIELDS = ("district", "category", "gender", "first", "last")


def _form(request: HttpRequest) -> FigureFilterForm:
    return FigureFilterForm(request.GET or None, labels=selectors.labels_get())


def _filter_query(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in list(params):
        if name not in FILTER_FIELDS or not params.get(name):
            del params[name]
    return params.urlencode()


@require_safe
def figures_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "figures/page.html", context, status=400)
    figures = selectors.figures_get(form.to_filter())
    context.update(
        figures=figures,
        computed_at=present.computed_at_text(figures),
        period=present.period_text(figures),
        chosen=present.chosen_text(figures),
        sections=present.headline(figures),
        charts=present.charts(figures),
        table=present.table(figures, form.breakdown()),
        definitions=present.definitions(),
        suppression_rule=present.suppression_rule(),
        cache_minutes=max(selectors.cache_seconds() // 60, 1),
        query=_filter_query(request),
    )
    return render(request, "figures/page.html", context)


def _refusal(form: FigureFilterForm) -> dict:
    return {
        "error": _("The filter is not valid."),
        "fields": {name: [str(e) for e in errors] for name, errors in form.errors.items()},
    }


def _filename(figures: selectors.Figures, extension: str) -> str:
    flt = figures.flt
    return f"sevamitra-figures-{flt.first_month:%Y-%m}-{flt.last_month:%Y-%m}.{extension}"


@require_safe
def figures_csv(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        refusal = _refusal(form)
        lines = [refusal["error"]] + [
            f"{name}: {message}"
            for name, messages in refusal["fields"].items()
            for message in messages
        ]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    figures = selectors.figures_get(form.to_filter())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8 (Hindi names)
    writer = csv.writer(buffer)
    writer.writerows([[csv_cell(cell) for cell in line] for line in present.csv_rows(figures)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(figures, "csv")}"'
    return response


@require_safe
def figures_json(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse(_refusal(form), status=400, json_dumps_params={"ensure_ascii": False})
    figures = selectors.figures_get(form.to_filter())
    body = json.dumps(present.json_document(figures), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{_filename(figures, "json")}"'
    return response
