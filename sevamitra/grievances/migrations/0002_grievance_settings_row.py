"""The one row of grievance rules, with the defaults of the issue (administrators change them in
the back office afterwards)."""

from django.db import migrations


def create_row(apps, schema_editor):
    GrievanceSettings = apps.get_model("grievances", "GrievanceSettings")
    GrievanceSettings.objects.get_or_create(pk=1)


def delete_row(apps, schema_editor):
    GrievanceSettings = apps.get_model("grievances", "GrievanceSettings")
    GrievanceSettings.objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("grievances", "0001_complaints_sanctions_appeals")]

    operations = [migrations.RunPython(create_row, delete_row)]
