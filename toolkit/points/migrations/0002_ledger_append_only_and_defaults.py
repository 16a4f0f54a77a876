from django.db import migrations

# The ledger is append-only in the database itself: UPDATE, DELETE and TRUNCATE are refused
# whatever the code does. The function lives in the company's schema (first on search_path).
APPEND_ONLY = """
CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'points ledger is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$body$;
CREATE TRIGGER points_ledger_no_change BEFORE UPDATE OR DELETE ON points_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION points_ledger_append_only();
CREATE TRIGGER points_ledger_no_truncate BEFORE TRUNCATE ON points_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only();
"""
DROP = """
DROP TRIGGER points_ledger_no_truncate ON points_ledgerentry;
DROP TRIGGER points_ledger_no_change ON points_ledgerentry;
DROP FUNCTION points_ledger_append_only();
"""

DEFAULT_RULES = [
    # code, points, daily cap, monthly cap
    ("meeting_attendance", 5, 10, None),
    ("dues_on_time", 10, None, 10),
    ("task_accepted", 10, None, 300),  # a task's own points replace the 10
    ("study", 2, 10, None),
    ("lesson_shared", 5, None, 50),
    ("quiz", 3, 15, None),
    ("redemption", 0, None, None),  # spending: the reward's cost, negative
    ("correction", 0, None, None),  # an admin's correction, either sign
]


def seed(apps, schema_editor):
    PointRule = apps.get_model("points", "PointRule")
    LedgerHead = apps.get_model("points", "LedgerHead")
    for code, points, daily, monthly in DEFAULT_RULES:
        PointRule.objects.get_or_create(code=code, defaults={
            "points": points, "daily_cap": daily, "monthly_cap": monthly})
    LedgerHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
