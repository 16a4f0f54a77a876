"""Rehearsal: one company moved from one installation to another, each on its own PostgreSQL
(the first on DATABASE_URL's server, the second an embedded PostgreSQL started here), and the
company's downtime measured: from suspending it on the first to its rows, points chain and
files being there on the second (a DNS or proxy switch of its host comes on top). The host
itself is checked on both sides: the second serves `moving.localhost`, the first refuses it.

    python bench/move.py

Last line: `move: <slug> with <n> members, <rows> rows, <files> files down for <s> s (export
<s> s, import <s> s)`. Both databases and the second server's folder go at the end.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdb import ROOT, database_drop, setup

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "200"))


def company_with_data(slug: str) -> None:
    from django.conf import settings
    from django_tenants.utils import schema_context

    from tenants import services
    from tenants.models import CompanyStatus
    from tests.toolkit.conftest import build_org
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    company = services.company_create(name="搬家公司", slug=slug)
    services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
    services.company_provision(company_id=company.pk, use_pool=False)
    org = build_org(slug, members=MEMBERS, branches=5)
    with schema_context(slug):
        for member in org.members:
            points_award(member=member, rule=RuleCode.STUDY)
    folder = Path(settings.MEDIA_ROOT) / slug / "arena"
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(20):
        (folder / f"evidence{n}.bin").write_bytes(os.urandom(50_000))


def main() -> None:
    from saas.embedded_db import EmbeddedPostgres

    media_a, media_b = Path(tempfile.mkdtemp(prefix="move-a-")), Path(tempfile.mkdtemp(
        prefix="move-b-"))
    os.environ["MEDIA_ROOT"] = str(media_a)
    setup()
    from django.db import connection

    from tenants import services
    from tenants.models import Company, CompanyStatus
    from tenants.portability import company_export, table_counts

    url_a = os.environ["DATABASE_URL"]
    second = EmbeddedPostgres(data_dir=Path(tempfile.mkdtemp(prefix="move-pg-")), port=None)
    second._choose_port()
    second.start()
    env_b = dict(os.environ, DATABASE_URL=second.url, MEDIA_ROOT=str(media_b),
                 SPARE_POOL_SIZE="0")
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT,
                       env=env_b, check=True)
        slug = "moving"
        company_with_data(slug)
        counts = table_counts(slug)
        archive = media_a / "moving.tar.gz"

        started = time.perf_counter()
        company = Company.objects.get(slug=slug)
        services.company_transition(company=company, to=CompanyStatus.SUSPENDED)
        manifest = company_export(company=company, path=archive)
        exported = time.perf_counter()
        result = subprocess.run([sys.executable, "manage.py", "company_import", str(archive)],
                                cwd=ROOT, env=env_b, capture_output=True, text=True)
        imported = time.perf_counter()
        if result.returncode != 0:
            raise SystemExit(f"import failed: {result.stdout}{result.stderr}")
        check = subprocess.run(
            [sys.executable, "-c", (
                "import django, json; django.setup();"
                "from django_tenants.utils import schema_context;"
                "from tenants.portability import table_counts;"
                "from toolkit.points.ledger import chain_check;"
                "from django.test import Client;"
                "c = table_counts('moving');"
                "ctx = schema_context('moving'); ctx.__enter__();"
                "chain = chain_check().intact; ctx.__exit__(None, None, None);"
                "page = Client().get('/login/', HTTP_HOST='moving.localhost');"
                "print(json.dumps({'counts': c, 'chain': chain, 'status': page.status_code,"
                " 'served': '搬家公司' in page.content.decode()}))")],
            cwd=ROOT, env=dict(env_b, DJANGO_SETTINGS_MODULE="saas.settings"),
            capture_output=True, text=True, check=True)
        seen = __import__("json").loads(check.stdout.strip().splitlines()[-1])
        assert seen["counts"] == counts and seen["chain"], seen
        # The domain switch: the second installation serves the company's host (its Domain
        # row came with the import); the first, where it is suspended, refuses it.
        from django.test import Client

        assert seen["status"] == 200 and seen["served"], seen
        assert Client().get("/login/", HTTP_HOST="moving.localhost").status_code == 403
        files = sorted(p.relative_to(media_a / slug) for p in (media_a / slug).rglob("*")
                       if p.is_file())
        assert all((media_b / slug / f).read_bytes() == (media_a / slug / f).read_bytes()
                   for f in files)
        services.company_transition(company=company, to=CompanyStatus.ARCHIVED)
    finally:
        connection.close()
        second.stop()
        shutil.rmtree(second.data_dir, ignore_errors=True)
        second.data_dir.with_suffix(".port").unlink(missing_ok=True)  # the port it remembered
        database_drop(url_a)
        shutil.rmtree(media_a, ignore_errors=True)
        shutil.rmtree(media_b, ignore_errors=True)
    rows = sum(counts.values())
    files = sum(name.startswith("media/") for name in manifest["files"])
    print(f"move: {slug} with {MEMBERS} members, {rows} rows, {files} files "
          f"down for {imported - started:.1f} s (export {exported - started:.1f} s, "
          f"import {imported - exported:.1f} s)")


if __name__ == "__main__":
    main()
