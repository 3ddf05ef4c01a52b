"""Bar charts drawn on the server as inline SVG: no JavaScript, no library, allowed by our CSP.

`bar_chart(rows, title=…, unit=…)` turns (label, value) pairs into a `ChartData` that
`templates/includes/chart_bar.html` draws:

    {% include "includes/chart_bar.html" with chart=spend_chart %}

(and the page loads `static/css/charts.css`). Bars are horizontal so that a Hindi label has the
whole width of a 360 px screen: each row is the label on one line and the bar under it. The
geometry is in percentages of the width, so the SVG needs no viewBox and scales with the page;
only SVG attributes (width, x, y) and classes are used, never a style attribute.

The same figures are always in a table right under the picture: the table is the accessible
source, the picture a convenience for people who would rather look than read. Values are shown
in the Indian style (₹1,23,456.00; 1,23,456).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from sevamitra.core.formatting import format_inr, group_indian

# Pixel geometry of one row: the label line, then the bar.
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
# A bar at least this wide (percent of the full width) carries its value inside, at its end;
# a shorter one carries it just after its end.
VALUE_INSIDE_FROM = Decimal("60")
HUNDRED = Decimal("100")


class Unit(models.TextChoices):
    RUPEES = "rupees", _("Rupees")
    COUNT = "count", _("Number")
    DAYS = "days", _("Days")


def format_value(value: Decimal | int, unit: str) -> str:
    """The value as people read it: ₹1,23,456.00 for rupees, 1,23,456 for a count, 12.5 for
    days (one decimal place, grouped the Indian way)."""
    if unit == Unit.RUPEES:
        return format_inr(value)
    number = Decimal(value)
    if unit == Unit.DAYS:
        text = f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):.1f}"
    else:
        text = f"{number.quantize(Decimal('1'), rounding=ROUND_HALF_UP):.0f}"
    whole, _sep, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = sign + group_indian(whole.lstrip("-"))
    return f"{grouped}.{fraction}" if fraction else grouped


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    display: str  # the value formatted for people
    width: Decimal  # percent of the full width, 0–100, two places; 0 = no bar drawn
    label_y: int  # baseline of the label text (px)
    bar_y: int  # top of the bar (px)
    value_y: int  # baseline of the value text (px)
    value_inside: bool  # the value is written inside the bar, at its end

    @property
    def drawn(self) -> bool:
        return self.width > 0

    @property
    def width_attr(self) -> str:
        """For the SVG width / x attributes: '73.5%'."""
        return f"{self.width.normalize():f}%"


@dataclass(frozen=True)
class ChartData:
    title: str
    unit: str
    bars: tuple[Bar, ...]
    height: int  # of the SVG, px
    label_heading: str
    value_heading: str
    total: Decimal | int
    total_display: str
    dom_id: str

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def all_zero(self) -> bool:
        return not any(bar.drawn for bar in self.bars)


def bar_chart(
    rows: list[tuple[str, Decimal | int]],
    *,
    title: str,
    unit: str = Unit.COUNT,
    label_heading: str | None = None,
    value_heading: str | None = None,
    show_total: bool = True,
) -> ChartData:
    """A horizontal bar chart of `rows`, in the order given. The largest value fills the
    width; the others are in proportion; a zero value draws no bar. A negative value is refused
    (ValueError): a bar chart from zero cannot show it honestly."""
    if unit not in Unit.values:
        raise ValueError(f"unknown unit {unit!r}")
    for label, value in rows:
        if not isinstance(value, int | Decimal) or isinstance(value, bool):
            raise TypeError(f"value for {label!r} must be int or Decimal, not {type(value)}")
        if value < 0:
            raise ValueError(f"negative value for {label!r}: {value}")
    largest = max((Decimal(value) for _label, value in rows), default=Decimal(0))
    bars = []
    for index, (label, value) in enumerate(rows):
        width = Decimal(0)
        if largest > 0:
            width = (Decimal(value) * HUNDRED / largest).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
        top = index * ROW_HEIGHT
        bar_y = top + LABEL_HEIGHT
        bars.append(
            Bar(
                label=str(label),
                value=value,
                display=format_value(value, unit),
                width=width,
                label_y=top + LABEL_HEIGHT - 5,
                bar_y=bar_y,
                value_y=bar_y + BAR_HEIGHT - 4,
                value_inside=width >= VALUE_INSIDE_FROM,
            )
        )
    total = sum((value for _label, value in rows), start=Decimal(0) if unit != Unit.COUNT else 0)
    title = str(title)
    digest = hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:10]
    return ChartData(
        title=title,
        unit=unit,
        bars=tuple(bars),
        height=max(len(bars) * ROW_HEIGHT - ROW_GAP, 0),
        label_heading=str(label_heading or _("Item")),
        value_heading=str(value_heading or Unit(unit).label),
        total=total,
        total_display=format_value(total, unit) if show_total and unit != Unit.DAYS else "",
        dom_id=f"chart-{digest}",
    )
