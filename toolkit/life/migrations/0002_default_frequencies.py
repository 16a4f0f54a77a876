from django.db import migrations

# 支委会 and 党小组会 monthly, 支部党员大会 and 党课 quarterly, 主题党日 monthly.
FREQUENCIES = [("committee", 1), ("group", 1), ("branch_assembly", 3), ("lesson", 3),
               ("theme_day", 1)]


def seed(apps, schema_editor):
    ComplianceRule = apps.get_model("life", "ComplianceRule")
    for kind, months in FREQUENCIES:
        ComplianceRule.objects.get_or_create(kind=kind, defaults={"every_months": months})
    apps.get_model("life", "DuesSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("life", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
