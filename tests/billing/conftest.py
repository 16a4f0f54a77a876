"""localstripe on loopback for the billing tests (never a real Stripe call from a test).

Its address is chosen when this module is collected, before any worker starts, so a Celery
worker the tests start (tests/worker.py copies os.environ) talks to the same localstripe."""

import os
import socket
import subprocess
import sys
import time

import pytest

from tests.toolkit.conftest import org_a, org_b

__all__ = ["org_a", "org_b"]  # the toolkit's two organised companies, for these tests too


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = _free_port()
URL = f"http://127.0.0.1:{PORT}"
os.environ["LOCALSTRIPE_URL"] = URL
os.environ.pop("STRIPE_SECRET_KEY", None)


@pytest.fixture(scope="session")
def localstripe_server():
    process = subprocess.Popen([sys.executable, "-m", "saas.localstripe_run", str(PORT)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.05)
    yield URL
    process.terminate()
    process.wait(10)


@pytest.fixture(autouse=True)
def localstripe(localstripe_server, settings):
    settings.LOCALSTRIPE_URL = localstripe_server
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    return localstripe_server


@pytest.fixture
def admin_a(company_a):
    from django_tenants.utils import schema_context

    from accounts.models import Role
    from accounts.services import user_create

    with schema_context(company_a.schema_name):
        return user_create(username="admin", password="pw-123456", full_name="管理员",
                           role=Role.COMPANY_ADMIN)


def login_admin(client, host: str) -> None:
    assert client.post("/login/", {"username": "admin", "password": "pw-123456"},
                       HTTP_HOST=host).status_code == 302
