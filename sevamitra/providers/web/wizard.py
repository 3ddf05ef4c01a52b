"""The registration's state, shared by its step pages (steps.py) and its views
(register.py): the Provider row once it exists (step 4) and the session draft before."""

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sevamitra.catalog.models import Category
from sevamitra.core.errors import DomainError
from sevamitra.employment.selectors import registration_prefill
from sevamitra.providers import selectors
from sevamitra.providers.models import Provider

SESSION_DRAFT = "provider_registration"
STEPS = ("about", "services", "area", "prices", "hours", "documents")
STEP_TOTAL = len(STEPS) + 1  # step 1 is signing in with the mobile number
PROFILE_STEPS = ("about", "services", "area", "prices", "hours")
TITLES = {
    "about": gettext_lazy("About you"),
    "services": gettext_lazy("Your services"),
    "area": gettext_lazy("Where you work"),
    "prices": gettext_lazy("Your prices and terms"),
    "hours": gettext_lazy("When you work"),
    "documents": gettext_lazy("Your documents"),
}
DEFAULT_HOURS = ("09:00", "18:00")
# Answers a linked employment-exchange registration can give, by step (employment.selectors).
PREFILL_FIELDS = {
    "about": ("name_hi", "name_latin", "gender"),
    "services": ("categories", "experience_years"),
    "area": ("pincode",),
}


@dataclass
class Wizard:
    """The registration as far as it has got: the provider row (from step 4) and the draft."""

    request: HttpRequest
    mode: str = "register"  # or "profile"
    draft: dict = field(init=False)

    def __post_init__(self) -> None:
        self.draft = dict(self.request.session.get(SESSION_DRAFT) or {})

    @cached_property
    def provider(self) -> Provider | None:
        return selectors.provider_of(self.request.user)

    @cached_property
    def state(self) -> selectors.RegistrationState | None:
        return selectors.registration_state(provider=self.provider) if self.provider else None

    def save_draft(self, **changes: object) -> None:
        self.draft.update(changes)
        self.request.session[SESSION_DRAFT] = self.draft

    def clear_draft(self) -> None:
        self.draft = {}
        self.request.session.pop(SESSION_DRAFT, None)

    @cached_property
    def categories(self) -> list[Category]:
        """The services chosen: in the draft while being changed, else the active offers."""
        slugs = self.draft.get("categories")
        if slugs:
            return sorted(selectors.categories_by_slug(slugs), key=lambda c: c.sort_order)
        if self.provider:
            return [o.category for o in selectors.provider_offers(provider=self.provider)]
        return []

    @cached_property
    def _prefill(self) -> dict:
        return {} if self.provider else registration_prefill(self.request.user)

    def prefill(self, step: str) -> dict:
        """Before registration: this step's answers from the linked employment-exchange
        registration, for those the person has not given yet (the draft wins)."""
        fields = [f for f in PREFILL_FIELDS.get(step, ()) if f not in self.draft]
        return {f: self._prefill[f] for f in fields if f in self._prefill}

    @property
    def police_needed(self) -> bool:
        return any(c.police_verification_required for c in self.categories)

    def done(self, step: str) -> bool:
        state = self.state
        if step == "about":
            return self.provider is not None or bool(self.draft.get("name_hi"))
        if step == "services":
            return bool(self.categories)
        if step == "area":
            return self.provider is not None
        if state is None:
            return False
        if step == "prices":
            return bool(state.offer_category_ids) and state.offer_category_ids == {
                c.pk for c in self.categories
            }
        if step == "hours":
            return state.has_hours
        return state.has_identity and (state.has_valid_police or not self.police_needed)

    def first_missing(self) -> str | None:
        return next((step for step in STEPS if not self.done(step)), None)

    def url(self, step: str) -> str:
        if self.mode == "profile":
            return reverse("providers:profile_edit", args=[step])
        return reverse("providers:register_step", args=[step])

    def next_url(self, step: str) -> str:
        if self.mode == "profile":
            if step == "services":
                return self.url("prices")  # new services need their prices
            return reverse("providers:profile")
        following = STEPS.index(step) + 1
        return (
            self.url(STEPS[following]) if following < len(STEPS) else reverse("providers:pending")
        )

    def render(self, step: str, template: str, form, **context: object) -> HttpResponse:  # type: ignore[no-untyped-def]
        index = STEPS.index(step)
        if self.mode == "profile":
            back_url = reverse("providers:profile")
            submit = _("Save")
        else:
            back_url = self.url(STEPS[index - 1]) if index else ""
            submit = _("Send for verification") if step == "documents" else _("Next")
        return render(
            self.request,
            template,
            {
                "mode": self.mode,
                "step": step,
                "step_number": index + 2,
                "step_total": STEP_TOTAL,
                "title": TITLES[step],
                "form": form,
                "back_url": back_url,
                "submit_label": submit,
                "provider": self.provider,
                "prefilled": self.request.method == "GET" and bool(self.prefill(step)),
                **context,
            },
        )


def add_domain_error(form, exc: DomainError, fields: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Show a service's refusal on the form field it is about (else at the top)."""
    name = (fields or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, str(exc.message))


def saved(wizard: Wizard, step: str) -> HttpResponse:
    if wizard.mode == "profile":
        messages.success(wizard.request, _("Your changes are saved."))
    return redirect(wizard.next_url(step))
