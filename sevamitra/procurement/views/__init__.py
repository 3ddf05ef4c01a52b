"""Government-order pages under /gov/: orders.py (the office's orders, a new or changed
requisition, an order's page, decisions, the certificate, the approver's queue) and visits.py
(a booked order's visits: replacements, the attendance sheet)."""

from sevamitra.procurement.views.orders import (
    cancel,
    certificate_file,
    certify,
    dashboard,
    decide,
    detail,
    edit,
    new,
    queue,
    submit,
)
from sevamitra.procurement.views.visits import attendance_sheet, replacement

__all__ = [
    "attendance_sheet",
    "cancel",
    "certificate_file",
    "certify",
    "dashboard",
    "decide",
    "detail",
    "edit",
    "new",
    "queue",
    "replacement",
    "submit",
]
