from django.db import migrations


def create_policy(apps, schema_editor):
    """The one policy row, with the defaults (re-verify every 24 months, 30 days' grace,
    police reminders 30, 7 and 1 days before expiry); administrators change it in the admin."""
    VerificationPolicy = apps.get_model("verification", "VerificationPolicy")
    VerificationPolicy.objects.get_or_create(pk=1)


def delete_policy(apps, schema_editor):
    apps.get_model("verification", "VerificationPolicy").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_initial")]

    operations = [migrations.RunPython(create_policy, delete_policy)]
