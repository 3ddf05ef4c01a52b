"""Who sees which government-order figures. The policy is procurement's (one place says which
offices an officer sees): administrators and auditors read every office (the department view);
an officer sees the offices of their active posts, and an approving officer also every office
under theirs. Nobody else sees a dashboard."""

from dataclasses import dataclass

from sevamitra.procurement.permissions import reads_everything, visible_offices


@dataclass(frozen=True)
class DashboardScope:
    """The offices a person's figures cover: `office_ids` None means the whole department."""

    office_ids: frozenset[int] | None

    @property
    def is_department(self) -> bool:
        return self.office_ids is None


def dashboard_scope(user) -> DashboardScope | None:
    """The scope of `user`'s dashboard, or None when they may not see one."""
    if reads_everything(user):
        return DashboardScope(office_ids=None)
    offices = visible_offices(user)
    return DashboardScope(office_ids=frozenset(offices)) if offices else None


def can_view_gov_dashboard(user) -> bool:
    return dashboard_scope(user) is not None
