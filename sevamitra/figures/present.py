"""The figures as people read them, in the page's language: cell texts, row names, the table
of one breakdown, the charts, and the rows of the CSV and the JSON document. Reads only what
figures.selectors returned (already suppressed): nothing here can reveal a hidden number."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sevamitra.core.charts import ChartData, Unit, bar_chart
from sevamitra.core.formatting import format_inr, group_indian
from sevamitra.figures.definitions import (
    COUNT,
    MEASURE,
    MEASURES,
    MONEY,
    PERCENT,
    SECTIONS,
    Measure,
)
from sevamitra.figures.forms import month_label
from sevamitra.figures.selectors import TOTAL, UNKNOWN, Figures, Row
from sevamitra.figures.suppression import THRESHOLD, Cell
from sevamitra.providers.models import Gender

DIMENSION_NAMES = {
    "month": gettext_lazy("Month"),
    "district": gettext_lazy("District"),
    "category": gettext_lazy("Service"),
    "gender": gettext_lazy("Gender"),
}
TABLE_TITLES = {
    "month": gettext_lazy("Figures by month"),
    "district": gettext_lazy("Figures by district"),
    "category": gettext_lazy("Figures by service"),
    "gender": gettext_lazy("Figures by gender of the Sevamitra"),
}
TOP_DISTRICTS = 10


def number(value: int | Decimal, measure: Measure) -> str:
    """A shown value: 1,23,456 for a count, ₹1,234.50 for money, 12.5 for days, 40.0% for a
    percentage."""
    if measure.kind == MONEY:
        return format_inr(value)
    if measure.kind == COUNT:
        return group_indian(str(int(value)))
    whole, _sep, fraction = f"{Decimal(value):.1f}".partition(".")
    text = f"{group_indian(whole)}.{fraction}"
    return f"{text}%" if measure.kind == PERCENT else text


def cell_text(cell: Cell, measure: Measure) -> str:
    if cell.value is not None:
        return number(cell.value, measure)
    if cell.suppressed:
        return _("hidden")
    if not cell.applicable:
        return _("not given")
    return "—"


def plain_value(cell: Cell) -> str:
    """The value for the CSV: digits and a decimal point, empty when not shown."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, Decimal):
        return f"{cell.value:f}"
    return str(cell.value)


def json_value(cell: Cell) -> int | float | None:
    if cell.value is None:
        return None
    return float(cell.value) if isinstance(cell.value, Decimal) else cell.value


def row_name(figures: Figures, dimension: str, key: str) -> str:
    """The row's name in the current language."""
    if key == TOTAL:
        return _("All")
    if key == UNKNOWN:
        return _("No service given") if dimension == "category" else _("District not known")
    if dimension == "month":
        return month_label(dt.date.fromisoformat(f"{key}-01"))
    if dimension == "district":
        label = figures.labels.district(key)
        return label.name if label else key
    if dimension == "category":
        label = figures.labels.category(key)
        return label.name if label else key
    return str(Gender(key).label) if key in Gender.values else key


def computed_at_text(figures: Figures) -> str:
    return formats.date_format(timezone.localtime(figures.computed_at), "d/m/Y, g:i A")


def period_text(figures: Figures) -> str:
    first, last = figures.flt.first_month, figures.flt.last_month
    if first == last:
        return month_label(first)
    return _("%(first)s to %(last)s") % {"first": month_label(first), "last": month_label(last)}


def chosen_text(figures: Figures) -> str:
    """The district, service and gender the figures are limited to ("" for everyone)."""
    flt = figures.flt
    parts = [
        row_name(figures, dimension, value)
        for dimension, value in (
            ("district", flt.district),
            ("category", flt.category),
            ("gender", flt.gender),
        )
        if value
    ]
    return " · ".join(parts)


# --- The page ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Tile:
    key: str
    label: str
    text: str
    shown: bool
    now: bool  # as at the computation time, not in the period


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str
    tiles: list[Tile]


def headline(figures: Figures) -> list[Section]:
    sections = []
    for key, title in SECTIONS.items():
        tiles = [
            Tile(
                key=m.key,
                label=str(m.label),
                text=cell_text(figures.total.cells[m.key], m),
                shown=figures.total.cells[m.key].shown,
                now=m.stock,
            )
            for m in MEASURES
            if m.section == key
        ]
        sections.append(Section(key=key, title=str(title), tiles=tiles))
    return sections


@dataclasses.dataclass(frozen=True)
class Table:
    dimension: str
    title: str
    row_heading: str
    columns: list[Measure]
    rows: list[tuple[str, list[str]]]
    total: list[str]


def columns_of(figures: Figures, dimension: str) -> list[Measure]:
    """The figures that exist in this breakdown (not the ones no row has)."""
    rows = figures.breakdowns[dimension].rows
    return [m for m in MEASURES if any(row.cells[m.key].applicable for row in rows)]


def table(figures: Figures, dimension: str) -> Table:
    columns = columns_of(figures, dimension)
    rows = list(figures.breakdowns[dimension].rows)
    if dimension == "district":  # alphabetical in the page's language, "not known" last
        rows.sort(key=lambda r: (r.key == UNKNOWN, row_name(figures, dimension, r.key)))
    return Table(
        dimension=dimension,
        title=str(TABLE_TITLES[dimension]),
        row_heading=str(DIMENSION_NAMES[dimension]),
        columns=columns,
        rows=[
            (
                row_name(figures, dimension, row.key),
                [cell_text(row.cells[m.key], m) for m in columns],
            )
            for row in rows
        ],
        total=[cell_text(figures.total.cells[m.key], m) for m in columns],
    )


def _chart(
    figures: Figures,
    rows: list[Row],
    dimension: str,
    measure_key: str,
    *,
    title: str,
    unit: str,
    total: bool,
) -> ChartData:
    """A bar chart of one figure: a hidden value draws no bar and says "hidden"."""
    measure = MEASURE[measure_key]
    cells = [row.cells[measure_key] for row in rows]
    chart = bar_chart(
        [
            (row_name(figures, dimension, row.key), cell.value if cell.value is not None else 0)
            for row, cell in zip(rows, cells, strict=True)
        ],
        title=title,
        unit=unit,
        label_heading=str(DIMENSION_NAMES[dimension]),
        value_heading=str(measure.label),
        show_total=False,
    )
    bars = tuple(
        bar
        if cell.value is not None
        else dataclasses.replace(bar, display=cell_text(cell, measure))
        for bar, cell in zip(chart.bars, cells, strict=True)
    )
    total_display = cell_text(figures.total.cells[measure_key], measure) if total else ""
    return dataclasses.replace(chart, bars=bars, total_display=total_display)


def charts(figures: Figures) -> list[ChartData]:
    """Bookings completed by month; Sevamitras in the districts with the most; median days
    to decide a complaint by month."""
    months = list(figures.breakdowns["month"].rows)
    districts = [
        row
        for row in figures.breakdowns["district"].rows
        if row.key != UNKNOWN and row.cells["registered"].value
    ]
    districts.sort(
        key=lambda r: (-r.cells["registered"].value, row_name(figures, "district", r.key))
    )
    return [
        _chart(
            figures,
            months,
            "month",
            "bookings_completed",
            title=_("Bookings completed, by month"),
            unit=Unit.COUNT,
            total=True,
        ),
        _chart(
            figures,
            districts[:TOP_DISTRICTS],
            "district",
            "registered",
            title=_("Registered Sevamitras: the districts with the most")
            if len(districts) > TOP_DISTRICTS
            else _("Registered Sevamitras, by district"),
            unit=Unit.COUNT,
            total=False,
        ),
        _chart(
            figures,
            months,
            "month",
            "median_days_to_resolve",
            title=_("Median days to decide a complaint, by month"),
            unit=Unit.DAYS,
            total=False,
        ),
    ]


# --- Downloads -------------------------------------------------------------------------------


def definitions() -> list[dict[str, str]]:
    return [
        {
            "key": m.key,
            "section": m.section,
            "kind": m.kind,
            "name": str(m.label),
            "definition": str(m.definition),
        }
        for m in MEASURES
    ]


def suppression_rule() -> str:
    return _(
        "Numbers from 1 to %(largest)d are hidden, and so are medians, averages and "
        "percentages computed from fewer than %(threshold)d people or items, so that no person "
        "can be identified. Where a hidden number could be worked out from the total and the "
        "other numbers, another number is hidden as well. 0 means none."
    ) % {"largest": THRESHOLD - 1, "threshold": THRESHOLD}


def csv_rows(figures: Figures) -> list[list[str]]:
    computed = timezone.localtime(figures.computed_at).isoformat()
    lines = [
        [
            _("Breakdown"),
            _("Group code"),
            _("Group"),
            _("Figure code"),
            _("Figure"),
            _("Value"),
            _("Hidden"),
            _("Computed at"),
        ]
    ]
    groups: list[tuple[str, Row]] = [(TOTAL, figures.total)]
    for dimension, breakdown in figures.breakdowns.items():
        groups += [(dimension, row) for row in breakdown.rows]
    for dimension, row in groups:
        name = row_name(figures, dimension, row.key)
        for m in MEASURES:
            cell = row.cells[m.key]
            if not cell.applicable:
                continue
            lines.append(
                [
                    dimension,
                    row.key,
                    name,
                    m.key,
                    str(m.label),
                    plain_value(cell),
                    "true" if cell.suppressed else "false",
                    computed,
                ]
            )
    return lines


def _json_cells(row: Row) -> dict[str, dict[str, Any]]:
    return {
        key: {
            "value": json_value(cell),
            "suppressed": cell.suppressed,
            "applicable": cell.applicable,
        }
        for key, cell in row.cells.items()
    }


def _names(figures: Figures, dimension: str, key: str) -> dict[str, str]:
    names = {}
    for language in ("hi", "en"):
        with translation.override(language):
            names[f"name_{language}"] = row_name(figures, dimension, key)
    return names


def json_document(figures: Figures) -> dict[str, Any]:
    flt = figures.flt
    return {
        "computed_at": timezone.localtime(figures.computed_at).isoformat(),
        "filter": {
            "district": flt.district or None,
            "category": flt.category or None,
            "gender": flt.gender or None,
            "first_month": f"{flt.first_month:%Y-%m}",
            "last_month": f"{flt.last_month:%Y-%m}",
        },
        "suppression": {"threshold": THRESHOLD, "rule": suppression_rule()},
        "definitions": definitions(),
        "total": _json_cells(figures.total),
        "breakdowns": {
            dimension: [
                {"key": row.key, **_names(figures, dimension, row.key), "figures": _json_cells(row)}
                for row in breakdown.rows
            ]
            for dimension, breakdown in figures.breakdowns.items()
        },
    }
