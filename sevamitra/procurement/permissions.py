"""Who may do what with government orders (built on accounts.permissions).

An officer acts through the posts they hold (OfficePost): an indenting officer in their office;
an approving officer in their office and every office under it (Office.parent tree); a finance
officer reads their office's orders. Administrators manage offices, posts and rules; auditors
and administrators read every order. Nobody approves an order they made (maker-checker)."""

from sevamitra.accounts import permissions
from sevamitra.accounts.models import Role
from sevamitra.procurement.models import Office, OfficePost, OfficerPost, Requisition


def _active(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user is not None and user.is_authenticated and user.is_active)


def _may_write(user) -> bool:  # type: ignore[no-untyped-def]
    return _active(user) and not permissions.is_read_only(user)


def post_offices(user, post: str | None = None) -> set[int]:  # type: ignore[no-untyped-def]
    """Ids of the offices where `user` holds `post` (any post when None), active posts only."""
    if not _active(user):
        return set()
    cache = user.__dict__.setdefault("_procurement_posts", {})
    if post not in cache:
        posts = OfficePost.objects.filter(user=user, active=True)
        if post is not None:
            posts = posts.filter(post=post)
        cache[post] = set(posts.values_list("office_id", flat=True))
    return set(cache[post])


def _with_descendants(office_ids: set[int]) -> set[int]:
    if not office_ids:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Office.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    seen: set[int] = set()
    todo = list(office_ids)
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        todo.extend(children.get(pk, []))
    return seen


def approvable_offices(user) -> set[int]:  # type: ignore[no-untyped-def]
    """Offices whose orders `user` may approve: where they hold the approving post, and below."""
    return _with_descendants(post_offices(user, OfficerPost.APPROVING))


def visible_offices(user) -> set[int]:  # type: ignore[no-untyped-def]
    """Offices whose orders `user` sees as an officer (not counting administrators/auditors)."""
    return post_offices(user) | approvable_offices(user)


def reads_everything(user) -> bool:  # type: ignore[no-untyped-def]
    return permissions.is_administrator(user) or Role.AUDITOR in permissions.roles_of(user)


def is_officer(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(post_offices(user))


def can_view_requisition(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    if not _active(user):
        return False
    return reads_everything(user) or requisition.office_id in visible_offices(user)


def can_create_requisition(user, office: Office) -> bool:  # type: ignore[no-untyped-def]
    return (
        _may_write(user)
        and office.is_active
        and (office.pk in post_offices(user, OfficerPost.INDENTING))
    )


def can_edit_requisition(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    """The maker, while they still hold the indenting post in the order's office."""
    return (
        _may_write(user)
        and requisition.created_by_id == user.pk
        and requisition.office_id in post_offices(user, OfficerPost.INDENTING)
    )


def can_decide_requisition(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    """Approve, reject or send back: an approving officer of the office or one above it, never
    the maker."""
    return (
        _may_write(user)
        and requisition.created_by_id != user.pk
        and requisition.office_id in approvable_offices(user)
    )


def can_act_for_office(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    """Office-side acts on a booked order (attendance codes, completion certificate, cancel):
    the office's indenting officers and the approving officers over it."""
    if not _may_write(user):
        return False
    return requisition.office_id in (
        post_offices(user, OfficerPost.INDENTING) | approvable_offices(user)
    )


def can_book_replacement(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    """Book a replacement for visits a Sevamitra dropped: an indenting officer of the office."""
    return _may_write(user) and requisition.office_id in post_offices(user, OfficerPost.INDENTING)


def can_print_attendance_sheet(user, requisition: Requisition) -> bool:  # type: ignore[no-untyped-def]
    """The visits' codes are the customer's: the indenting officer who made the order (the
    bookings' customer), while they hold the indenting post in its office."""
    return can_edit_requisition(user, requisition)


def can_manage_offices(user) -> bool:  # type: ignore[no-untyped-def]
    return _may_write(user) and permissions.is_administrator(user)


def forget_posts(user) -> None:  # type: ignore[no-untyped-def]
    user.__dict__.pop("_procurement_posts", None)
