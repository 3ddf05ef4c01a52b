"""Who may link, unlink and share (built on accounts.permissions).

Linking a registration, and giving or withdrawing consent to share one's work history, are the
person's own acts: nobody does them for someone else, not even an administrator. Auditors are
read-only everywhere.
"""

from sevamitra.accounts import permissions


def can_act_for(user, person) -> bool:  # type: ignore[no-untyped-def]
    """`user` may link, unlink, share and withdraw for `person`: only `person` themselves."""
    active = bool(user is not None and user.is_authenticated and user.is_active)
    return active and not permissions.is_read_only(user) and user.pk == person.pk
