from django.db import migrations

from billing.defaults import plans_seed


def seed(apps, schema_editor):
    plans_seed(apps.get_model("billing", "Plan"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_plans_accounts_webhooks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
