"""The three plans companies could already sign up for (tenants.Plan), now as rows staff edit.
Member limits as tenants/plans.py had them."""

from django.db import migrations

GB = 1024 ** 3
ALL = ["training_seats", "handbook_pdf", "api", "big_screen", "quiz_duel"]
PLANS = [
    dict(code="trial", name="试用版", price_month_fen=0, price_year_fen=0, member_limit=100,
         storage_quota_bytes=1 * GB, features=ALL, is_public=False, sort=0),
    dict(code="standard", name="标准版", price_month_fen=99900, price_year_fen=999000,
         member_limit=1000, storage_quota_bytes=20 * GB,
         features=["training_seats", "handbook_pdf", "api"], sort=1),
    dict(code="professional", name="专业版", price_month_fen=299900, price_year_fen=2999000,
         member_limit=20000, storage_quota_bytes=200 * GB, features=ALL, sort=2),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for fields in PLANS:
        Plan.objects.update_or_create(code=fields["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_plans_accounts_webhooks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
