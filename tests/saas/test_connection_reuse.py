"""Persistent connections with the search path set once per request (docs/decisions/0029):
one gunicorn thread, hence one database connection, serves two companies in turn, and each
request sees its own company's rows only, also after a request that failed or rolled back."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from knox.models import AuthToken

from tests.toolkit.conftest import build_org
from tests.worker import _database_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, host: str, headers: dict | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Host": host, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def one_connection_server(django_db_blocker, tmp_path):
    """gunicorn, one worker of one thread (so one connection), with the production settings
    for connections and three probe views."""
    with django_db_blocker.unblock():
        database_url = _database_url()
    port = _free_port()
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
           "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"),
           "DJANGO_SETTINGS_MODULE": "tests.saas.probe_settings", "SPARE_POOL_SIZE": "0",
           "DB_CONN_MAX_AGE": "600", "TENANT_LIMIT_SET_CALLS": "1",
           "SECRET_KEY": settings.SECRET_KEY, "CELERY_BROKER_URL": "memory://localhost/"}
    log = open(tmp_path / "web.log", "w+")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "saas.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "1", "--no-control-socket"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "web.log").read_text()
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the worker too, and with it its connection
        server.wait(timeout=10)
        log.close()


def test_one_reused_connection_never_carries_a_company_into_another(
        make_company, committed_schemas, one_connection_server):
    port = one_connection_server
    orgs = {}
    for slug, name in (("alpha", "甲公司"), ("beta", "乙公司")):
        make_company(name=name, slug=slug)
        orgs[slug] = build_org(slug, members=3, branches=1)
    tokens, names = {}, {}
    for slug, org in orgs.items():
        with schema_context(slug):
            tokens[slug] = AuthToken.objects.create(org.admin)[1]
        names[slug] = sorted([org.admin.full_name] + [m.user.full_name for m in org.members])
    assert names["alpha"] != names["beta"]

    pids = set()

    def whoami(slug: str, path: str = "/_probe/whoami/") -> None:
        status, body = _get(port, path, f"{slug}.localhost")
        assert status == 200, body[:500]
        seen = json.loads(body)
        assert seen["names"] == names[slug]
        assert seen["search_path"].split(",")[0].strip() == slug
        pids.add(seen["pid"])

    def api_me(slug: str) -> None:
        # The product's API: the token lives in the company's schema, so a request run in the
        # other company's schema would not find it (401) or find someone else.
        status, body = _get(port, "/api/v1/me/", f"{slug}.localhost",
                            {"Authorization": f"Token {tokens[slug]}"})
        assert status == 200, body[:500]
        assert json.loads(body)["name"] == orgs[slug].admin.full_name

    for _round in range(3):
        for slug in ("alpha", "beta"):
            whoami(slug)
            api_me(slug)
    # A request that fails after its first query, then the other company on the same connection.
    assert _get(port, "/_probe/fails/", "alpha.localhost")[0] == 500
    whoami("beta")
    assert _get(port, "/_probe/fails/", "beta.localhost")[0] == 500
    whoami("alpha")
    # A transaction rolled back after the query that set the path: PostgreSQL takes the SET
    # back with it, so the connection is on the previous request's company again.
    whoami("beta")
    whoami("alpha", "/_probe/rolled-back/")
    whoami("beta", "/_probe/rolled-back/")
    whoami("alpha")
    assert len(pids) == 1, "the connection was not reused; the test proves nothing"
