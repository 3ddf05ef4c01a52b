from django.utils.translation import gettext_lazy as _

from sevamitra.accounts.errors import DomainError


class NotVerified(DomainError):
    code = "not_verified"
    status = 409
    default_message = _("Only a verified Sevamitra can be given an ID badge.")
