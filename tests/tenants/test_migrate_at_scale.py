"""migrate at scale (docs/decisions/0030): schemas at the template's migrations are skipped
without loading anything for them; the rest run in a pool; a run killed halfway is finished by
the next one, with no schema migrated twice and none left out."""

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from tenants import schemas
from tests.worker import _database_url

ROOT = Path(__file__).resolve().parents[2]
APP, BEFORE, LATEST = "life", "0004_attendance_time_settable", "0005_settings_bounds"
PROGRESS = re.compile(r"^\[(\d+)/(\d+)\] (\w+) migrated in \d+ ms$")


def _applied(schema: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT applied FROM {schema}.django_migrations "
                       "WHERE app = %s AND name = %s", [APP, LATEST])
        return [row[0] for row in cursor.fetchall()]


def test_a_no_op_migrate_skips_every_schema_at_the_template_key(make_company):
    make_company(slug="noop-one")
    make_company(slug="noop-two")
    out = io.StringIO()
    call_command("migrate", interactive=False, verbosity=1, stdout=out)
    assert re.search(r"^\d+ company and spare schemas up to date, 0 to migrate$",
                     out.getvalue(), re.MULTILINE)
    keys = schemas.migration_keys(["noop_one", "noop_two", schemas.TEMPLATE_SCHEMA, "nosuch"])
    assert keys["noop_one"] == keys["noop_two"] == keys[schemas.TEMPLATE_SCHEMA] is not None
    assert keys["nosuch"] is None


def _migrate(env: dict, *, kill_after: int | None = None) -> list[str]:
    """`manage.py migrate_schemas` in its own process group; with kill_after, SIGKILLed (pool
    children too) once that many schemas are reported done. Returns its output lines."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "migrate_schemas", "--processes", "2", "-v", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    lines, done = [], 0
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if PROGRESS.match(lines[-1]):
            done += 1
            if kill_after is not None and done >= kill_after:
                os.killpg(process.pid, signal.SIGKILL)
                break
    process.stdout.close()
    assert process.wait(timeout=120) == (-signal.SIGKILL if kill_after else 0), lines
    time.sleep(0.5)  # the killed children's backends roll back and go
    return lines


def test_a_migration_killed_halfway_is_finished_by_the_next_run_once_per_schema(
        make_company, committed_schemas):
    names = [make_company(slug=f"resume{n}").schema_name for n in range(6)]
    for name in names:  # as if life's latest migration were new: undone in every company
        call_command("migrate_schemas", APP, BEFORE, schema_name=name, interactive=False,
                     verbosity=0)
        assert _applied(name) == []
    env = dict(os.environ, DATABASE_URL=_database_url(), SPARE_POOL_SIZE="0")

    first = _migrate(env, kill_after=3)
    assert "6 to migrate" in "\n".join(first)
    done_first = {name: _applied(name) for name in names if _applied(name)}
    assert 3 <= len(done_first) < 6, first  # killed halfway

    second = _migrate(env)
    redone = [PROGRESS.match(line).group(3) for line in second if PROGRESS.match(line)]
    assert any(line.endswith(f"up to date, {6 - len(done_first)} to migrate") for line in second)
    assert sorted(redone) == sorted(set(names) - set(done_first))  # none twice, none left out
    for name in names:
        applied = _applied(name)
        assert len(applied) == 1
        if name in done_first:
            assert applied == done_first[name]  # not migrated again
    assert re.search(r"per schema p50 \d+ ms, p95 \d+ ms$", second[-1])
