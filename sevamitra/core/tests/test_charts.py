from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from sevamitra.core.charts import ROW_GAP, ROW_HEIGHT, Unit, bar_chart, format_value


def test_longest_bar_fills_the_width_and_others_are_in_proportion():
    chart = bar_chart(
        [("बिजली मिस्त्री", Decimal("2000")), ("प्लंबर", Decimal("500")), ("माली", Decimal("0"))],
        title="Spend",
        unit=Unit.RUPEES,
    )
    assert [bar.width for bar in chart.bars] == [Decimal("100.00"), Decimal("25.00"), Decimal(0)]
    assert [bar.width_attr for bar in chart.bars] == ["100%", "25%", "0%"]
    assert [bar.drawn for bar in chart.bars] == [True, True, False]
    assert [bar.value_inside for bar in chart.bars] == [True, False, False]
    assert [bar.display for bar in chart.bars] == ["₹2,000.00", "₹500.00", "₹0.00"]
    assert chart.total == Decimal("2500")
    assert chart.total_display == "₹2,500.00"


def test_widths_are_rounded_to_two_places():
    chart = bar_chart([("a", 3), ("b", 1), ("c", 2)], title="t")
    assert [bar.width for bar in chart.bars] == [
        Decimal("100.00"),
        Decimal("33.33"),
        Decimal("66.67"),
    ]
    assert chart.bars[2].width_attr == "66.67%"
    assert chart.total == 6
    assert chart.total_display == "6"


def test_rows_are_stacked_label_over_bar():
    chart = bar_chart([("a", 1), ("b", 1), ("c", 1)], title="t")
    assert [bar.bar_y for bar in chart.bars] == [20, 20 + ROW_HEIGHT, 20 + 2 * ROW_HEIGHT]
    assert [bar.label_y for bar in chart.bars] == [15, 15 + ROW_HEIGHT, 15 + 2 * ROW_HEIGHT]
    assert chart.height == 3 * ROW_HEIGHT - ROW_GAP


def test_all_zero_draws_no_bar():
    chart = bar_chart([("a", 0), ("b", 0)], title="t")
    assert [bar.width for bar in chart.bars] == [Decimal(0), Decimal(0)]
    assert chart.all_zero is True
    assert chart.empty is False


def test_no_rows_is_an_empty_chart():
    chart = bar_chart([], title="t")
    assert chart.empty is True
    assert chart.height == 0
    assert chart.total == 0


@pytest.mark.parametrize("value", [-1, Decimal("-0.01")])
def test_negative_value_is_refused(value):
    with pytest.raises(ValueError, match="negative value for 'b'"):
        bar_chart([("a", 5), ("b", value)], title="t")


def test_float_and_unknown_unit_are_refused():
    with pytest.raises(TypeError):
        bar_chart([("a", 1.5)], title="t")  # type: ignore[list-item]
    with pytest.raises(ValueError, match="unknown unit"):
        bar_chart([("a", 1)], title="t", unit="percent")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("123456.5"), Unit.RUPEES, "₹1,23,456.50"),
        (1234567, Unit.COUNT, "12,34,567"),
        (0, Unit.COUNT, "0"),
        (Decimal("12345.25"), Unit.DAYS, "12,345.3"),
        (Decimal("4"), Unit.DAYS, "4.0"),
    ],
)
def test_values_in_indian_style(value, unit, text):
    assert format_value(value, unit) == text


def test_days_have_no_total():
    chart = bar_chart([("a", Decimal("3.5"))], title="t", unit=Unit.DAYS)
    assert chart.total_display == ""


def _render(chart):
    return render_to_string("includes/chart_bar.html", {"chart": chart})


def test_rendered_svg_and_table():
    chart = bar_chart(
        [("सफ़ाई", Decimal("150000")), ("रसोइया", Decimal("50000")), ("माली", Decimal("0"))],
        title="खर्च श्रेणी के अनुसार",
        unit=Unit.RUPEES,
        label_heading="श्रेणी",
        value_heading="खर्च",
    )
    with translation.override("en"):
        html = _render(chart)
    assert f'<figure class="chart" aria-labelledby="{chart.dom_id}-title">' in html
    caption = f'<figcaption id="{chart.dom_id}-title" class="chart-title">'
    assert caption + "खर्च श्रेणी के अनुसार</figcaption>" in html
    assert 'role="img"' in html
    assert (
        'aria-label="खर्च श्रेणी के अनुसार: bar chart; the same figures are in the table below."' in html
    )
    assert "style=" not in html
    assert "<script" not in html
    # Two bars drawn (the zero draws none), three tracks, three labels.
    assert html.count('class="chart-bar"') == 2
    assert 'class="chart-bar" x="0" y="20" width="100%" height="18"' in html
    assert f'class="chart-bar" x="0" y="{20 + ROW_HEIGHT}" width="33.33%" height="18"' in html
    assert html.count('class="chart-track"') == 3
    # The value of the full bar inside it; of the others after their end.
    assert 'class="chart-value chart-value-inside" x="100%" dx="-6"' in html
    assert 'class="chart-value" x="33.33%" dx="6"' in html
    # The table holds the same figures.
    assert '<th scope="col">श्रेणी</th><th scope="col" class="num">खर्च</th>' in html
    assert '<tr><th scope="row">सफ़ाई</th><td class="num">₹1,50,000.00</td></tr>' in html
    assert '<tr><th scope="row">रसोइया</th><td class="num">₹50,000.00</td></tr>' in html
    assert '<tr><th scope="row">माली</th><td class="num">₹0.00</td></tr>' in html
    total = '<tfoot><tr><th scope="row">Total</th><td class="num">₹2,00,000.00</td></tr></tfoot>'
    assert total in html


def test_labels_are_escaped():
    html = _render(bar_chart([("<b>x</b>", 1)], title="<i>t</i>"))
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "&lt;i&gt;t&lt;/i&gt;" in html


def test_empty_chart_renders_a_sentence_and_no_svg():
    with translation.override("en"):
        html = _render(bar_chart([], title="Nothing"))
    assert "<svg" not in html
    assert "<table" not in html
    assert "No figures to show yet." in html


def test_hindi_chart_text():
    with translation.override("hi"):
        html = _render(bar_chart([("a", 1)], title="t"))
    assert "Total" not in html
    assert "bar chart" not in html
