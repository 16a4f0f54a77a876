from django.db import migrations

# A block's chain is append-only in the database itself: UPDATE, DELETE and TRUNCATE of its
# entries are refused whatever the code does (as the points ledger, points 0002).
APPEND_ONLY = """
CREATE FUNCTION blocks_chain_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    RAISE EXCEPTION '5S block chain is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$body$;
CREATE TRIGGER blocks_entry_no_change BEFORE UPDATE OR DELETE ON blocks_blockentry
    FOR EACH ROW EXECUTE FUNCTION blocks_chain_append_only();
CREATE TRIGGER blocks_entry_no_truncate BEFORE TRUNCATE ON blocks_blockentry
    FOR EACH STATEMENT EXECUTE FUNCTION blocks_chain_append_only();
"""
DROP = """
DROP TRIGGER blocks_entry_no_truncate ON blocks_blockentry;
DROP TRIGGER blocks_entry_no_change ON blocks_blockentry;
DROP FUNCTION blocks_chain_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("blocks", "0001_blocks_and_chain")]
    operations = [migrations.RunSQL(APPEND_ONLY, DROP)]
