"""The benchmarks' own database: <name>_bench on DATABASE_URL's server, dropped and re-made,
migrated, with Celery messages kept in-process (no developer's worker acts on it)."""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database_url() -> str:
    import psycopg2

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/incubator")
    parsed = urlparse(base)
    name = parsed.path.lstrip("/") + "_bench"
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urlunparse(parsed._replace(path=f"/{name}"))


def setup() -> None:
    os.environ["DATABASE_URL"] = fresh_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["CELERY_RESULT_BACKEND"] = "cache+memory://"
    import django

    django.setup()
    from django.core.management import call_command

    from tenants.services import public_tenant_ensure

    call_command("migrate", interactive=False, verbosity=0)
    public_tenant_ensure(domains=["localhost"])


def database_drop(url: str) -> None:
    """Drops the benchmark's database (after the run; the server's own stays)."""
    import psycopg2

    parsed = urlparse(url)
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')
    admin.close()
