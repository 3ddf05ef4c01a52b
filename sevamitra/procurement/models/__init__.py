"""Government orders: departments, offices and officer posts; the rules (RuleSet versions set by
government orders); requisitions with their chosen providers and approvals."""

from sevamitra.procurement.models.offices import Department, Office, OfficePost, OfficerPost
from sevamitra.procurement.models.orders import (
    REQUISITION_TRANSITIONS,
    AcceptanceKind,
    Approval,
    ApprovalDecision,
    Requisition,
    RequisitionProvider,
    RequisitionStatus,
)
from sevamitra.procurement.models.rules import CategoryRule, RuleSet

__all__ = [
    "REQUISITION_TRANSITIONS",
    "AcceptanceKind",
    "Approval",
    "ApprovalDecision",
    "CategoryRule",
    "Department",
    "Office",
    "OfficePost",
    "OfficerPost",
    "Requisition",
    "RequisitionProvider",
    "RequisitionStatus",
    "RuleSet",
]
