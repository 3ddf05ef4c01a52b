from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want your data erased.")},
    )
