"""`manage.py seed --providers N [--seed S] [--reset]`: realistic demo data for Uttar Pradesh.

The same N and seed give the same rows in the same order (dates are relative to the day of
the run). Providers live in 13 large UP districts, weighted by population, within 1.5 km of
a real pincode centroid of their district, with names, prices, terms, weekly hours, leave,
ratings and verification documents drawn from `demo_names` and `demo_profiles`.

Demo accounts, with fixed numbers (everyone signs in with an OTP; the back-office accounts
also with the password given by --admin-password, default "sevamitra-demo"):

    9999000001  administrator (superuser)
    9999000002  district officer, Lucknow
    9999000003  call-centre agent
    9999000004  auditor
    9999000005  citizen
    9999000006  citizen

Provider accounts get numbers derived from their index (6000000000-9899999999, so never one
of the above) and unusable passwords. --reset deletes every provider and the accounts that
were only providers' accounts: this command is for demo and development databases.
"""

import random
import time
from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, ProtectedError, RestrictedError
from django.utils import timezone
from tqdm import tqdm

from sevamitra.accounts.models import STAFF_ROLES, Role, RoleGrant, User
from sevamitra.audit.models import AuditEntry
from sevamitra.catalog.models import Category
from sevamitra.geo.models import District
from sevamitra.geo.pincodes import pincode_info
from sevamitra.providers.management import demo_profiles as demo
from sevamitra.providers.management.demo_generator import Area, DemoProviders, Seeded
from sevamitra.providers.models import (
    Document,
    Leave,
    Offer,
    Provider,
    ServicePincode,
    WeeklyWindow,
)
from sevamitra.providers.services import (
    document_add_identity,
    offer_set,
    provider_business_address_set,
    provider_register,
    provider_set_status,
    provider_set_terms,
    provider_set_weekly_availability,
)

GENERATE_BATCH = 2000  # providers built and written per round
INSERT_BATCH = 1000  # rows per INSERT (PostgreSQL allows 65,535 parameters)


class DemoAccount(NamedTuple):
    phone: str
    name: str
    role: Role
    district: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("9999000001", "Demo Administrator", Role.ADMINISTRATOR),
    DemoAccount("9999000002", "Demo District Officer Lucknow", Role.DISTRICT_OFFICER, "LUCKNOW"),
    DemoAccount("9999000003", "Demo Call-centre Agent", Role.AGENT),
    DemoAccount("9999000004", "Demo Auditor", Role.AUDITOR),
    DemoAccount("9999000005", "Demo Citizen Gomti Nagar", Role.CITIZEN),
    DemoAccount("9999000006", "Demo Citizen Sigra", Role.CITIZEN),
)
# A verified Sevamitra with a known number, for trying the provider's pages.
DEMO_PROVIDER = DemoAccount("9999000007", "Demo Sevamitra Gomti Nagar", Role.PROVIDER, "LUCKNOW")
DEMO_PROVIDER_PINCODE = "226010"


def ensure_demo_provider() -> Provider:
    """A verified plumber and electrician in Gomti Nagar, Lucknow, on duty Monday to Saturday
    8 AM to 8 PM, who answers requests himself: made through the same services as any provider."""
    existing = Provider.objects.filter(user__phone=DEMO_PROVIDER.phone).first()
    if existing is not None:
        return existing
    user, _ = User.objects.get_or_create(
        phone=DEMO_PROVIDER.phone, defaults={"name": "Ramesh Kumar (demo)"}
    )
    officer = User.objects.get(phone=DEMO_ACCOUNTS[1].phone)
    where = pincode_info(DEMO_PROVIDER_PINCODE)
    assert where is not None
    provider = provider_register(
        user=user,
        name_hi="रमेश कुमार (डेमो)",
        name_latin="Ramesh Kumar (demo)",
        district=District.objects.get(code=DEMO_PROVIDER.district),
        home_lat=where.lat,
        home_lng=where.lng,
        service_radius_km=10,
        experience_years=6,
        acting_user=user,
    )
    for slug, price, visiting in (("plumber", "300", "100"), ("electrician", "250", "100")):
        offer_set(
            provider=provider,
            category=Category.objects.get(slug=slug),
            price=Decimal(price),
            visiting_charge=Decimal(visiting),
            acting_user=user,
        )
    provider_set_terms(
        provider=provider,
        free_cancellation_hours=4,
        cancellation_fee=Decimal("100"),
        included="जाँच और मज़दूरी शामिल; पुर्ज़े दुकान के दाम पर।",
        acting_user=user,
    )
    provider_set_weekly_availability(
        provider=provider, windows=[(day, 8 * 60, 20 * 60) for day in range(6)], acting_user=user
    )
    document_add_identity(provider=provider, id_type="voter_id", last4="4821", acting_user=user)
    # Printed under the name on the GST invoices of government orders.
    provider_business_address_set(
        provider=provider,
        line1="दुकान 7, विपिन खंड मार्केट",
        locality="गोमती नगर",
        pincode=DEMO_PROVIDER_PINCODE,
        acting_user=user,
    )
    return provider_set_status(provider=provider, status="verified", acting_user=officer)


def save_batch(batch: list[Seeded]) -> None:
    User.objects.bulk_create([s.user for s in batch], batch_size=INSERT_BATCH)
    Provider.objects.bulk_create([s.provider for s in batch], batch_size=INSERT_BATCH)
    RoleGrant.objects.bulk_create([s.grant for s in batch], batch_size=INSERT_BATCH)
    for model, attribute in (
        (Offer, "offers"),
        (ServicePincode, "pincodes"),
        (WeeklyWindow, "windows"),
        (Leave, "leaves"),
        (Document, "documents"),
    ):
        rows = [row for s in batch for row in getattr(s, attribute)]
        model.objects.bulk_create(rows, batch_size=INSERT_BATCH)


def delete_providers() -> int:
    """Delete every provider, then the accounts that were nothing but a provider's."""
    user_ids = list(Provider.objects.order_by("pk").values_list("user_id", flat=True))
    try:
        Provider.objects.only("pk").delete()  # only the key: cascades need no more
    except (ProtectedError, RestrictedError) as error:
        raise CommandError(f"Cannot reset: other records refer to providers ({error}).") from error
    # Accounts the audit trail names as actors stay (the trail keeps its references).
    only_providers = (
        User.objects.only("pk")
        .filter(is_staff=False, is_superuser=False)
        .exclude(role_grants__role__in=[r for r in Role.values if r != Role.PROVIDER])
        .exclude(Exists(AuditEntry.objects.filter(actor=OuterRef("pk"))))
    )
    chunk = min(5000, (connection.features.max_query_params or 5000) - 10)
    for i in range(0, len(user_ids), chunk):
        only_providers.filter(pk__in=user_ids[i : i + chunk]).delete()
    return len(user_ids)


def ensure_demo_accounts(password: str) -> None:
    staff_password, unusable = make_password(password), make_password(None)
    for account in DEMO_ACCOUNTS:
        staff = account.role in STAFF_ROLES
        user, _ = User.objects.update_or_create(
            phone=account.phone,
            defaults={
                "name": account.name,
                "is_active": True,
                "is_staff": staff,
                "is_superuser": account.role == Role.ADMINISTRATOR,
                "password": staff_password if staff else unusable,
            },
        )
        district = District.objects.get(code=account.district) if account.district else None
        RoleGrant.objects.get_or_create(user=user, role=account.role, district=district)


class Command(BaseCommand):
    help = "Create realistic demo providers in Uttar Pradesh, plus demo staff and citizens."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--providers", type=int, default=1000, help="How many (default 1000).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--reset", action="store_true", help="Delete existing providers first.")
        parser.add_argument(
            "--admin-password",
            default="sevamitra-demo",
            help='Password of the demo back-office accounts ("sevamitra-demo").',
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--no-demo-provider",
            action="store_true",
            help=f"Do not create the demo Sevamitra ({DEMO_PROVIDER.phone}).",
        )

    def handle(
        self,
        *args,
        providers: int,
        seed: int,
        reset: bool,
        admin_password: str,
        no_progress: bool,
        no_demo_provider: bool = False,
        **options,
    ) -> None:
        if providers < 0:
            raise CommandError("--providers must be 0 or more.")
        started = time.perf_counter()
        districts = {d.code: d for d in District.objects.filter(code__in=demo.DISTRICT_WEIGHTS)}
        missing = sorted(set(demo.DISTRICT_WEIGHTS) - set(districts))
        if missing:
            raise CommandError(f"Districts missing (run migrate first): {', '.join(missing)}.")
        categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "slug"))
        if not categories:
            raise CommandError("No active service categories (run migrate first).")
        try:
            areas = [Area.load(districts[code]) for code in demo.DISTRICT_WEIGHTS]
        except LookupError as error:
            raise CommandError(str(error)) from error

        with transaction.atomic():
            if Provider.objects.exists():
                if not reset:
                    raise CommandError(
                        "Providers already exist; run with --reset to delete them and seed again."
                    )
                deleted = delete_providers()
                self.stdout.write(f"Deleted {deleted:,} providers and their accounts.")
            ensure_demo_accounts(admin_password)
            if not no_demo_provider:
                ensure_demo_provider()
            taken = set(User.objects.values_list("phone", flat=True))
            source = DemoProviders(random.Random(seed), areas, categories, taken, timezone.now())
            statuses: Counter[str] = Counter()
            by_district: Counter[str] = Counter()
            by_category: Counter[str] = Counter()
            rows: Counter[str] = Counter()
            show = not no_progress and self.stdout.isatty()
            with tqdm(total=providers, unit=" providers", disable=not show) as progress:
                for start in range(0, providers, GENERATE_BATCH):
                    batch = [
                        source.provider() for _ in range(min(GENERATE_BATCH, providers - start))
                    ]
                    save_batch(batch)
                    for s in batch:
                        statuses[s.provider.verification_status] += 1
                        by_district[s.provider.district.name_en] += 1
                        by_category.update(c.name_en for c in s.categories)
                        rows.update(
                            offers=len(s.offers),
                            windows=len(s.windows),
                            leaves=len(s.leaves),
                            documents=len(s.documents),
                            pincodes=len(s.pincodes),
                        )
                    progress.update(len(batch))

        self._summary(
            providers, seed, time.perf_counter() - started, statuses, by_district, by_category, rows
        )

    def _summary(self, providers: int, seed: int, elapsed: float, *counters: Counter[str]) -> None:
        statuses, by_district, by_category, rows = counters
        out = self.stdout.write
        out(self.style.SUCCESS(f"Seeded {providers:,} providers (seed {seed}) in {elapsed:.1f} s."))
        for title, counter in (
            ("Status", statuses),
            ("District", by_district),
            ("Category", by_category),
            ("Rows", rows),
        ):
            out(f"{title}: " + ", ".join(f"{key} {n:,}" for key, n in counter.most_common()))
        out("Demo accounts (sign in with an OTP; back office also with --admin-password):")
        for account in (*DEMO_ACCOUNTS, DEMO_PROVIDER):
            scope = f" ({account.district})" if account.district else ""
            out(f"  {account.phone}  {account.role.value}{scope}: {account.name}")
