from django.db import migrations

# The 学时 ledger is append-only in the database itself, as the points ledger is (0006).
APPEND_ONLY = """
CREATE FUNCTION learning_hours_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION 'hours ledger is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$body$;
CREATE TRIGGER learning_hours_no_change BEFORE UPDATE OR DELETE ON learning_hoursentry
    FOR EACH ROW EXECUTE FUNCTION learning_hours_append_only();
CREATE TRIGGER learning_hours_no_truncate BEFORE TRUNCATE ON learning_hoursentry
    FOR EACH STATEMENT EXECUTE FUNCTION learning_hours_append_only();
"""
DROP = """
DROP TRIGGER learning_hours_no_truncate ON learning_hoursentry;
DROP TRIGGER learning_hours_no_change ON learning_hoursentry;
DROP FUNCTION learning_hours_append_only();
"""


def settings_row(apps, schema_editor):
    apps.get_model("learning", "LearningSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP),
        migrations.RunPython(settings_row, migrations.RunPython.noop),
    ]
