"""`make run`'s web process: gunicorn with DEBUG off, serving pages and collected static files."""

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

from saas import launcher
from tests.worker import _database_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return str(sock.getsockname()[1])


def _get(port: str, path: str, host: str = "localhost"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture
def served(django_db_setup, django_db_blocker, tmp_path):
    """The launcher's static step and web command against the test database (whose public
    site was committed when it was set up); yields the port and the server process."""
    from django.conf import settings

    from tenants import services

    with django_db_blocker.unblock():
        database_url = _database_url()
        # Committed before the test's transaction: a transactional test's flush may have run.
        services.public_tenant_ensure(domains=[settings.BASE_DOMAIN])
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
           "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"),
           "SPARE_POOL_SIZE": "0"}  # DEBUG unset: off
    launcher.static_collect(env)
    port = _free_port()
    log = open(tmp_path / "web.log", "w+")  # noqa: SIM115 - closed below
    server = subprocess.Popen(launcher.web_command(port), cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "web.log").read_text()
                time.sleep(0.2)
        yield port, server, tmp_path / "web.log"
    finally:
        if server.poll() is None:
            server.kill()
        log.close()


# No django_db mark: the fixture commits the public site (a test transaction would hide it
# from gunicorn, and a transactional test run just before may have flushed it).
def test_make_run_serves_pages_and_styles_through_gunicorn(served):
    port, server, log = served
    status, headers, body = _get(port, "/login/")
    assert status == 200 and headers["Server"].startswith("gunicorn")
    login_id = headers["X-Request-ID"]
    assert "登录".encode() in body
    status, headers, css = _get(port, "/static/css/site.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b".topbar" in css
    assert _get(port, "/favicon.ico")[0] == 200
    # DEBUG is off: a missing page is the product's 404, not Django's technical page.
    status, _headers, body = _get(port, "/no/such/page/")
    assert status == 404 and "页面不存在".encode() in body and b"URLconf" not in body

    server.send_signal(signal.SIGTERM)  # what the launcher sends on Ctrl-C
    assert server.wait(timeout=15) == 0
    written = log.read_text()
    assert '"GET /static/css/site.css HTTP/1.1" 200' in written  # the access log
    # Each access line names the host and the request id the response carried.
    assert '"GET /login/ HTTP/1.1" 200' in written
    line = next(row for row in written.splitlines() if '"GET /login/ HTTP/1.1" 200' in row)
    assert f"host=localhost request={login_id} " in line, line
    assert "Traceback" not in written


def test_the_processes_know_the_port_for_links_that_leave_the_page(monkeypatch):
    """A certificate's QR code and e-mailed links carry the public port (settings'
    PUBLIC_PORT, from PORT): `make run` on its default port must pass it on, else the QR
    code opened http://localhost/verify/… with no port."""
    monkeypatch.setattr(launcher, "PORT", "8000")
    assert launcher.child_env({"PATH": "/usr/bin"})["PORT"] == "8000"
    assert launcher.child_env({"PORT": "8100"})["PORT"] == "8100"
    out = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault("
         "'DJANGO_SETTINGS_MODULE', 'saas.settings'); django.setup(); "
         "from training.certificates import certificate_verify_url; "
         "print(certificate_verify_url(number='N1'))"],
        cwd=ROOT, env={**launcher.child_env({k: v for k, v in os.environ.items()
                                             if k not in ("PORT", "PUBLIC_PORT")})},
        capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith(":8000/verify/N1/")
