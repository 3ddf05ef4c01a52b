"""SAC code and GST rate per category, for the GST invoices of government orders.

SAC codes from the GST "Scheme of Classification of Services" (notification 11/2017-Central
Tax (Rate), annexure). Chosen per category as the nearest heading; the DEPARTMENT MUST CONFIRM
them with its tax adviser before the first invoice (they are admin-editable per category):

    electrician          995461  electrical installation services (wiring and fittings)
    plumber              995462  water plumbing and drain laying services
    carpenter            995476  joinery and carpentry services
    painter              995473  painting services
    ac-appliance-repair  998719  maintenance and repair services of other goods n.e.c.
    house-cleaning       998533  general cleaning services
    deep-cleaning        998533  general cleaning services (specialised cleaning is 998534)
    pest-control         998531  disinfecting and exterminating services
    gardener             998597  landscape care and maintenance services
    dog-walker           999800  domestic services, part time and full time
    babysitter           999800  domestic services, part time and full time
    caregiver            999800  domestic services (home care without medical treatment)
    cook                 999800  domestic services, part time and full time
    driver               998519  other employment and labour supply services (driver only)
    event-planner        998596  events, exhibitions and conventions organisation services
    housekeeping         999800  domestic services, part time and full time
    laundry              999711  washing, cleaning and dyeing services

GST rate: 18% for every category (the general rate for these services). Whether tax is charged
at all depends on the provider's registration (an unregistered provider issues a bill of
supply); the rate is editable per category.
"""

from decimal import Decimal

from django.db import migrations, models


SAC_CODES = {
    "electrician": "995461",
    "plumber": "995462",
    "carpenter": "995476",
    "painter": "995473",
    "ac-appliance-repair": "998719",
    "house-cleaning": "998533",
    "deep-cleaning": "998533",
    "pest-control": "998531",
    "gardener": "998597",
    "dog-walker": "999800",
    "babysitter": "999800",
    "caregiver": "999800",
    "cook": "999800",
    "driver": "998519",
    "event-planner": "998596",
    "housekeeping": "999800",
    "laundry": "999711",
}


def set_sac_codes(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for slug, code in SAC_CODES.items():
        Category.objects.filter(slug=slug).update(sac_code=code, gst_rate_percent=Decimal("18"))


def clear_sac_codes(apps, schema_editor):
    apps.get_model("catalog", "Category").objects.update(sac_code="")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_seed_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="gst_rate_percent",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("18.00"),
                db_default=Decimal("18.00"),
                max_digits=5,
                verbose_name="GST rate (%)",
            ),
        ),
        migrations.AddField(
            model_name="category",
            name="sac_code",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text="GST services accounting code printed on invoices (6 digits).",
                max_length=8,
                verbose_name="SAC code",
            ),
        ),
        migrations.RunPython(set_sac_codes, clear_sac_codes),
    ]
