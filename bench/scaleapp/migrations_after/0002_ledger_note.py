from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scaleapp", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "ALTER TABLE points_ledgerentry ADD COLUMN bench_note varchar(40) NULL;"
            "CREATE INDEX points_ledgerentry_bench_note ON points_ledgerentry (bench_note);",
            "DROP INDEX points_ledgerentry_bench_note;"
            "ALTER TABLE points_ledgerentry DROP COLUMN bench_note;",
        ),
    ]
