"""One handler per registration step: parse the form, call one service, go on. The same
handlers edit the profile later (Wizard.mode == "profile")."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sevamitra.core.errors import DomainError
from sevamitra.geo import pincodes
from sevamitra.providers import selectors, services
from sevamitra.providers.web.forms import (
    AboutForm,
    AreaForm,
    DocumentsForm,
    HoursForm,
    PricesForm,
    ServicesForm,
)
from sevamitra.providers.web.wizard import DEFAULT_HOURS, Wizard, add_domain_error, saved


def _about(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider, draft = wizard.provider, wizard.draft
    has_photo = bool(provider.photo) if provider else bool(draft.get("photo"))
    if request.method == "POST":
        form = AboutForm(request.POST, request.FILES, photo_required=not has_photo)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if provider:
                    services.provider_update_profile(
                        provider=provider,
                        name_hi=data["name_hi"],
                        name_latin=data["name_latin"],
                        gender=data["gender"],
                        languages=data["languages"],
                        experience_years=provider.experience_years,
                        photo=data["photo"],
                        acting_user=request.user,
                    )
                else:
                    photo = draft.get("photo", "")
                    if data["photo"]:
                        photo = services.photo_draft_save(
                            upload=data["photo"], replaces=photo, acting_user=request.user
                        )
                    wizard.save_draft(
                        name_hi=data["name_hi"],
                        name_latin=data["name_latin"],
                        gender=data["gender"],
                        languages=data["languages"],
                        photo=photo,
                    )
            except DomainError as exc:
                add_domain_error(form, exc, {"name": "name_hi"})
            else:
                return saved(wizard, "about")
    else:
        source = (
            {
                "name_hi": provider.name_hi,
                "name_latin": provider.name_latin,
                "gender": provider.gender,
                "languages": provider.languages,
            }
            if provider
            else {
                **wizard.prefill("about"),
                **{
                    k: draft[k]
                    for k in ("name_hi", "name_latin", "gender", "languages")
                    if k in draft
                },
            }
        )
        form = AboutForm(initial=source, photo_required=not has_photo)
    return wizard.render(
        "about",
        "providers/step_about.html",
        form,
        has_photo=has_photo,
        photo_url=reverse("providers:photo", args=[provider.pk])
        if provider and provider.photo
        else "",
    )


def _services(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider = wizard.provider
    if request.method == "POST":
        form = ServicesForm(request.POST)
        if form.is_valid():
            chosen = form.cleaned_data["categories"]
            years = form.cleaned_data["experience_years"]
            try:
                if provider:
                    services.provider_update_profile(
                        provider=provider,
                        name_hi=provider.name_hi,
                        name_latin=provider.name_latin,
                        gender=provider.gender,
                        languages=provider.languages,
                        experience_years=years,
                        acting_user=request.user,
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                wizard.save_draft(categories=[c.slug for c in chosen], experience_years=years)
                return saved(wizard, "services")
    else:
        years = provider.experience_years if provider else wizard.draft.get("experience_years", 0)
        form = ServicesForm(
            initial={
                "categories": [c.slug for c in wizard.categories],
                "experience_years": years,
                **wizard.prefill("services"),
            }
        )
    return wizard.render("services", "providers/step_services.html", form)


def _area(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider, draft = wizard.provider, wizard.draft
    if request.method == "POST":
        form = AreaForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                home = selectors.home_location(
                    pincode=data["pincode"], lat=data["lat"], lng=data["lng"]
                )
                area = {
                    "home_lat": home.lat,
                    "home_lng": home.lng,
                    "service_radius_km": data["service_radius_km"],
                    "pincodes_served": data["extra_pincodes"],
                }
                if provider and home.district != provider.district:
                    raise DomainError(
                        _(
                            "This place is in another district. To move to another district, "
                            "please call the helpline."
                        ),
                        field="pincode",
                    )
                if provider:
                    services.provider_set_service_area(
                        provider=provider, acting_user=request.user, **area
                    )
                else:
                    services.provider_register_with_photo(
                        user=request.user,
                        name_hi=draft["name_hi"],
                        name_latin=draft["name_latin"],
                        gender=draft.get("gender", "undisclosed"),
                        languages=draft.get("languages") or ["hi"],
                        experience_years=draft.get("experience_years", 0),
                        district=home.district,
                        photo_draft=draft.get("photo", ""),
                        acting_user=request.user,
                        **area,
                    )
                    wizard.save_draft(photo="")
            except DomainError as exc:
                add_domain_error(form, exc, {"pincodes": "extra_pincodes"})
            else:
                return saved(wizard, "area")
    else:
        initial: dict[str, object] = wizard.prefill("area")
        if provider:
            initial = {
                "pincode": pincodes.nearest_pincode(provider.home_lat, provider.home_lng) or "",
                "service_radius_km": provider.service_radius_km,
                "extra_pincodes": ", ".join(
                    provider.service_pincodes.order_by("pincode").values_list("pincode", flat=True)
                ),
            }
        form = AreaForm(initial=initial)
    return wizard.render("area", "providers/step_area.html", form)


def _prices(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider = wizard.provider
    categories = wizard.categories
    if provider is None or not categories:
        return redirect(wizard.url("services"))
    if request.method == "POST":
        form = PricesForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.provider_set_prices(
                    provider=provider,
                    prices=form.prices(),
                    free_cancellation_hours=data["free_cancellation_hours"],
                    cancellation_fee=data["cancellation_fee"],
                    included=data["included"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                add_domain_error(form, exc, {"included": "included"})
            else:
                wizard.save_draft(categories=[])
                return saved(wizard, "prices")
    else:
        initial: dict[str, object] = {
            "free_cancellation_hours": provider.free_cancellation_hours,
            "cancellation_fee": provider.cancellation_fee,
            "included": provider.terms_included,
        }
        for offer in selectors.provider_offers(provider=provider):
            initial[f"price_{offer.category.slug}"] = offer.price
            initial[f"visiting_{offer.category.slug}"] = offer.visiting_charge
        form = PricesForm(initial=initial, categories=categories)
    ranges = selectors.price_ranges(district=provider.district, categories=categories)
    rows = [(c, price, visiting, ranges.get(c.pk)) for c, price, visiting in form.service_rows()]
    return wizard.render("prices", "providers/step_prices.html", form, rows=rows)


def _hours(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider = wizard.provider
    if provider is None:
        return redirect(wizard.url("area"))
    if request.method == "POST":
        form = HoursForm(request.POST)
        if form.is_valid():
            try:
                services.provider_set_weekly_availability(
                    provider=provider,
                    windows=form.cleaned_data["windows"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return saved(wizard, "hours")
    else:
        initial: dict[str, object] = {}
        windows = list(provider.weekly_windows.order_by("weekday", "start_minute"))
        for window in windows:
            if f"works_{window.weekday}" in initial:
                continue  # one period a day on this page
            initial[f"works_{window.weekday}"] = True
            initial[f"from_{window.weekday}"] = _hhmm(window.start_minute)
            initial[f"to_{window.weekday}"] = _hhmm(min(window.end_minute, 1439))
        if not windows:
            for weekday in range(6):  # Monday to Saturday
                initial[f"works_{weekday}"] = True
        for weekday in range(7):
            initial.setdefault(f"from_{weekday}", DEFAULT_HOURS[0])
            initial.setdefault(f"to_{weekday}", DEFAULT_HOURS[1])
        form = HoursForm(initial=initial)
    return wizard.render("hours", "providers/step_hours.html", form)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _documents(request: HttpRequest, wizard: Wizard) -> HttpResponse:
    provider, state = wizard.provider, wizard.state
    if provider is None or state is None:
        return redirect(wizard.url("area"))
    identity_needed = not state.has_identity
    police_needed = wizard.police_needed and not state.has_valid_police
    form_args = {"identity_needed": identity_needed, "police_needed": police_needed}
    if request.method == "POST":
        form = DocumentsForm(request.POST, request.FILES, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.provider_add_documents(
                    provider=provider,
                    id_type=data.get("id_type", ""),
                    last4=data.get("last4", ""),
                    police_reference=data.get("police_reference", ""),
                    police_expires_on=data.get("police_expires_on"),
                    police_file=data.get("police_file"),
                    acting_user=request.user,
                )
            except DomainError as exc:
                add_domain_error(
                    form,
                    exc,
                    {
                        "reference": "police_reference",
                        "expires_on": "police_expires_on",
                        "file": "police_file",
                    },
                )
            else:
                wizard.clear_draft()
                return redirect("providers:pending")
    else:
        form = DocumentsForm(**form_args)
    return wizard.render(
        "documents",
        "providers/step_documents.html",
        form,
        documents=selectors.provider_documents(provider=provider),
        police_categories=[c for c in wizard.categories if c.police_verification_required],
    )


HANDLERS = {
    "about": _about,
    "services": _services,
    "area": _area,
    "prices": _prices,
    "hours": _hours,
    "documents": _documents,
}
