"""Refusals of the employment services, each with a stable code and a message for the person."""

from sevamitra.core.errors import DomainError


class EmploymentError(DomainError):
    code = "employment_refused"


class LinkRefused(EmploymentError):
    """A registration cannot be linked to this account; `code` says why (audited)."""

    code = "link_refused"


class ExchangeUnavailable(EmploymentError):
    code = "exchange_unavailable"
    status = 503


class ShareRefused(EmploymentError):
    code = "share_refused"
