"""The product's own error pages on both sites, and what a refusal writes to the log."""

import logging
from unittest import mock

import pytest
from django.test import RequestFactory

from saas.errors import server_error
from tests.toolkit.conftest import build_org, login

CRASHES = {  # a view on each site, made to fail the way a bug would
    "localhost": ("saas.views.company_counts_by_status", "/"),
    "alpha.localhost": ("toolkit.home.views.render", "/"),
}


@pytest.fixture
def org_a(company_a):
    return build_org("alpha")


@pytest.fixture
def crashing_client(client, company_a):
    client.raise_request_exception = False  # answer like the server does, not re-raise
    return client


@pytest.mark.parametrize("host", CRASHES)
def test_a_crash_shows_the_products_500_page_and_no_traceback(crashing_client, host):
    target, path = CRASHES[host]
    with mock.patch(target, side_effect=RuntimeError("secret detail of the crash")):
        response = crashing_client.get(path, HTTP_HOST=host)
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错了" in body and "返回首页" in body
    assert 'lang="zh-hans"' in body
    for leak in ("Traceback", "RuntimeError", "secret detail", "Server Error (500)"):
        assert leak not in body


@pytest.mark.parametrize("host", CRASHES)
def test_the_500_page_speaks_english_when_chosen(crashing_client, host):
    target, path = CRASHES[host]
    crashing_client.cookies["django_language"] = "en"
    with mock.patch(target, side_effect=RuntimeError("boom")):
        response = crashing_client.get(path, HTTP_HOST=host)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_500_page_needs_no_database():
    # No db fixture: pytest-django makes any database access in this test raise.
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    response = server_error(request)
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost"])
def test_a_missing_page_is_the_products_404(client, company_a, host):
    response = client.get("/no/such/page/", HTTP_HOST=host)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Page not found" in client.get("/no/such/page/", HTTP_HOST=host).content.decode()


def test_a_refusal_is_the_products_403(client, org_a):
    login(client, "alpha.localhost", org_a.members[-1].user.username)  # a member, not the admin
    response = client.get("/points/rules/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_403_is_logged_once_in_one_short_line(client, org_a, settings, monkeypatch, debug):
    settings.DEBUG = debug  # with DEBUG on, Django's own console handler printed it again
    printed = []

    def spy(handler, record):  # what the console handlers would write
        if type(handler) is logging.StreamHandler and record.name == "django.request":
            printed.append(handler.format(record))

    monkeypatch.setattr(logging.StreamHandler, "emit", spy)
    login(client, "alpha.localhost", org_a.members[-1].user.username)
    response = client.get("/points/rules/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 403
    # One line (structured: time, level, logger, schema, request id, then the message).
    assert len(printed) == 1 and "\n" not in printed[0]
    assert printed[0].endswith(" schema=alpha request=" + response["X-Request-ID"]
                               + " Forbidden (Permission denied): /points/rules/")
