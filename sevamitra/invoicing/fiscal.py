"""India's financial year: 1 April to 31 March, counted on the calendar of Asia/Kolkata."""

import datetime as dt
from zoneinfo import ZoneInfo

INDIA = ZoneInfo("Asia/Kolkata")


def india_date(moment: dt.datetime) -> dt.date:
    """The date in India of an aware datetime (23:00 UTC on 31 March is 1 April in India)."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(INDIA).date()


def financial_year(day: dt.date) -> str:
    """ "2025-26" for 31/03/2026, "2026-27" for 01/04/2026."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_year_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year label such as "2026-27"."""
    start = int(label[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)
