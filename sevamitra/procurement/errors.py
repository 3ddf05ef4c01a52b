"""Refusals of government orders, each with a stable code."""

from sevamitra.core.errors import DomainError


class ProcurementError(DomainError):
    code = "procurement_error"


class RuleBroken(ProcurementError):
    """The order breaks a rule of the rule set in force (dates, duration, category, ceiling)."""

    code = "rule_broken"


class IllegalTransition(ProcurementError):
    code = "illegal_transition"
    status = 409


class ProvidersUnavailable(ProcurementError):
    """Final approval could not book every chosen provider: nothing was booked."""

    code = "providers_unavailable"
    status = 409
