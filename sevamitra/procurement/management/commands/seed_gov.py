"""Demo data for government orders (idempotent): the Labour Department, a regional office in
Lucknow with a district office under it, the first rule set, and three officers:

    9999000020  indenting officer, District Labour Office Lucknow
    9999000021  approving officer, Regional Labour Office Lucknow (approves the district office)
    9999000022  finance / drawing officer, District Labour Office Lucknow

Needs the administrator 9999000001 of `manage.py seed` (it acts as them)."""

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sevamitra.accounts.models import User
from sevamitra.accounts.services import user_create
from sevamitra.geo.models import District
from sevamitra.procurement.models import Department, Office, OfficerPost, RuleSet
from sevamitra.procurement.services import offices, rules

ADMIN_PHONE = "9999000001"
OFFICERS = [
    ("9999000020", "Demo Indenting Officer", "lko-district", OfficerPost.INDENTING),
    ("9999000021", "Demo Approving Officer", "lko-region", OfficerPost.APPROVING),
    ("9999000022", "Demo Finance Officer", "lko-district", OfficerPost.FINANCE),
]


class Command(BaseCommand):
    help = "Demo department, offices, rules and officers for government orders."

    @transaction.atomic
    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        admin = User.objects.filter(phone=ADMIN_PHONE).first()
        if admin is None:
            raise CommandError("Run `manage.py seed` first (administrator 9999000001).")
        lucknow = District.objects.get(code="LUCKNOW")
        department = Department.objects.filter(code="labour").first() or offices.department_create(
            code="labour", name_en="Labour Department", name_hi="श्रम विभाग", acting_user=admin
        )
        region = Office.objects.filter(code="lko-region").first() or offices.office_create(
            department=department,
            code="lko-region",
            name_en="Regional Labour Office, Lucknow",
            name_hi="क्षेत्रीय श्रम कार्यालय, लखनऊ",
            district=lucknow,
            address="Shram Bhawan, Vidhan Sabha Marg, Lucknow",
            pincode="226001",
            ddo_code="LKO0100",
            acting_user=admin,
        )
        if not Office.objects.filter(code="lko-district").exists():
            offices.office_create(
                department=department,
                code="lko-district",
                name_en="District Labour Office, Lucknow",
                name_hi="जिला श्रम कार्यालय, लखनऊ",
                district=lucknow,
                address="Collectorate Campus, Kaiserbagh, Lucknow",
                pincode="226001",
                ddo_code="LKO0207",
                gstin="09AAAGL0207D1ZS",
                parent=region,
                acting_user=admin,
            )
        if not RuleSet.objects.exists():
            today = timezone.localdate()
            rules.rule_set_create(
                go_reference="Demo G.O. 101/36-1-2026",
                go_date=today - dt.timedelta(days=30),
                effective_from=today - dt.timedelta(days=30),
                approval_threshold=Decimal("0"),
                second_approval_threshold=Decimal("100000"),
                acting_user=admin,
            )
        for phone, name, office_code, post in OFFICERS:
            user = User.objects.filter(phone=phone).first() or user_create(
                phone=phone, name=name, preferred_language="hi", acting_user=admin
            )
            offices.office_post_grant(
                user=user, office=Office.objects.get(code=office_code), post=post, acting_user=admin
            )
        self.stdout.write("Government orders: demo offices and officers 9999000020–22 ready.")
