"""Throttles count per token's user and per company; the site's own session works too, with
DRF's CSRF check."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import Role, User
from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def test_the_per_user_throttle_counts_per_company(client, api, org_a, org_b, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    # The same user id on both sides: the throttle's cache key must still differ.
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            User.objects.create(pk=987654, username="13700000000", mobile="13700000000",
                                role=Role.MEMBER, password=make_password("pw-123456"))
    a_token = api_login(client, A, "13700000000")
    b_token = api_login(client, B, "13700000000")
    answers = [api("get", A, "/api/v1/me/", a_token).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = api("get", A, "/api/v1/me/", a_token)
    assert throttled.json()["code"] == "throttled" and "Retry-After" in throttled
    assert api("get", B, "/api/v1/me/", b_token).status_code == 200


def test_the_sites_session_reads_the_api_and_writes_need_the_csrf_token(client, org_a):
    member = org_a.members[2]
    login(client, A, member.user.username)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies  # signed in, checking CSRF like a browser
    me = browser.get("/api/v1/me/", HTTP_HOST=A)
    connection.set_schema_to_public()
    assert me.status_code == 200 and me.json()["mobile"] == member.user.mobile
    forged = browser.post("/api/v1/arena/tasks/1/claim/", HTTP_HOST=A)
    connection.set_schema_to_public()
    assert forged.status_code == 403 and forged.json()["code"] == "permission_denied"
    assert "CSRF" in forged.json()["message"]
