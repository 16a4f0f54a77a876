"""Everything that makes two schemas the same, read from the catalogue with names normalised."""

from django.db import connection

QUERIES = {
    "columns": """
        SELECT table_name, column_name,
               -- the column's place in its table: a column dropped by a migration leaves a gap
               -- in attnum that a fresh CREATE TABLE does not, so compare the order, not the number
               row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position),
               data_type, character_maximum_length,
               numeric_precision, is_nullable, column_default, is_identity, identity_generation,
               identity_start, identity_increment, identity_maximum, identity_minimum
        FROM information_schema.columns WHERE table_schema = %(s)s""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s",
    "constraints": """
        SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),
               con.condeferrable, con.condeferred
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = con.connamespace WHERE ns.nspname = %(s)s""",
    "sequences": """
        SELECT sequencename, data_type, start_value, min_value, max_value, increment_by, cycle,
               cache_size, last_value FROM pg_sequences WHERE schemaname = %(s)s""",
    "sequence_owners": """
        SELECT seq.relname, tbl.relname, att.attname FROM pg_depend dep
        JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
        JOIN pg_class tbl ON tbl.oid = dep.refobjid
        JOIN pg_attribute att ON att.attrelid = tbl.oid AND att.attnum = dep.refobjsubid
        JOIN pg_namespace ns ON ns.oid = seq.relnamespace WHERE ns.nspname = %(s)s""",
    "tables": """SELECT c.relname, c.relkind, c.relpersistence FROM pg_class c
        JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = %(s)s""",
    "triggers": """SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid), t.tgenabled
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = %(s)s AND NOT t.tgisinternal""",
    "functions": """SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p
        JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = %(s)s""",
}
ROWS = {
    "django_migrations": "SELECT app, name FROM {s}.django_migrations",
    "content_types": "SELECT id, app_label, model FROM {s}.django_content_type",
    "permissions": "SELECT id, content_type_id, codename, name FROM {s}.auth_permission",
}


def snapshot(schema: str) -> dict[str, list]:
    result = {}
    with connection.cursor() as cursor:
        for key, sql in QUERIES.items():
            cursor.execute(sql, {"s": schema})
            result[key] = sorted(_normalise(row, schema) for row in cursor.fetchall())
        for key, sql in ROWS.items():
            cursor.execute(sql.format(s=schema))
            result[key] = sorted(cursor.fetchall())
    return result


def _normalise(row: tuple, schema: str) -> tuple:
    return tuple(value.replace(f"{schema}.", "SCHEMA.") if isinstance(value, str) else value
                 for value in row)
