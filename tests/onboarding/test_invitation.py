import time
from unittest import mock

import pytest
from django.core import signing
from django.db import connection
from django_tenants.utils import schema_context

from onboarding.company import services
from onboarding.models import CompanyProgress, EventKind


@pytest.fixture
def invited(make_company, committed):
    company = make_company(name="星火物流", slug="xinghuo")
    with schema_context("xinghuo"), committed():
        invitation = services.admin_invite(company=company, full_name="周建国",
                                           email="zhou@example.cn", mobile="13712345678")
        token = services.invitation_token(invitation)
    return company, token


def _accept(client, token, password="Xinghuo-2026!"):
    return client.post(f"/invite/{token}/", {"new_password1": password,
                                             "new_password2": password},
                       HTTP_HOST="xinghuo.localhost")


def test_the_link_sets_the_password_once_and_logs_the_admin_in(client, invited):
    company, token = invited
    page = client.get(f"/invite/{token}/", HTTP_HOST="xinghuo.localhost")
    assert page.status_code == 200 and "设置管理员密码" in page.content.decode()
    response = _accept(client, token)
    assert response.status_code == 302 and response["Location"] == "/setup/"
    assert client.get("/setup/", HTTP_HOST="xinghuo.localhost").status_code == 200
    assert CompanyProgress.objects.get(company=company).admin_joined is True
    assert company.events.filter(kind=EventKind.ADMIN_JOINED).exists()

    client.logout()
    reused = _accept(client, token, password="Another-2026!")
    assert reused.status_code == 410 and "已经用过" in reused.content.decode()
    login = client.post("/login/", {"username": "admin", "password": "Xinghuo-2026!"},
                        HTTP_HOST="xinghuo.localhost")
    assert login.status_code == 302


def test_an_expired_link_is_refused(client, invited, settings):
    _company, token = invited
    later = time.time() + settings.INVITATION_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = _accept(client, token)
    assert response.status_code == 410 and "已过期" in response.content.decode()
    with schema_context("xinghuo"):
        from accounts.models import User

        assert not User.objects.get(username="admin").has_usable_password()


def test_a_forged_or_foreign_link_is_refused(client, invited, make_company):
    _company, token = invited
    assert _accept(client, token[:-3] + "abc").status_code == 410
    connection.set_schema_to_public()  # the request left the connection on xinghuo
    beta = make_company(name="乙公司", slug="beta")
    with schema_context("beta"):  # beta has an invitation with the same id: still refused
        services.admin_invite(company=beta, full_name="乙管理员", email="b@example.cn",
                              mobile="13800000001")
    # A genuine link of xinghuo's, opened on beta's site: the schema is part of the signature.
    response = client.post(f"/invite/{token}/", {"new_password1": "Xinghuo-2026!",
                                                 "new_password2": "Xinghuo-2026!"},
                           HTTP_HOST="beta.localhost")
    assert response.status_code == 410
    forged = signing.dumps({"i": 1, "s": "beta"}, salt="wrong-salt")
    assert _accept(client, forged).status_code == 410


def test_a_weak_password_is_refused_and_the_link_stays_usable(client, invited):
    _company, token = invited
    response = _accept(client, token, password="123")
    assert response.status_code == 200 and "密码" in response.content.decode()
    assert _accept(client, token).status_code == 302


def test_staff_resend_a_fresh_link_and_the_old_one_stops_working(client, invited, committed):
    from onboarding import services as onboarding_services
    from onboarding.models import Application
    from tests.onboarding.conftest import application_data

    company, old_token = invited
    application = onboarding_services.application_submit(**application_data())
    Application.objects.filter(pk=application.pk).update(status="approved", company=company)
    application.refresh_from_db()
    with committed():
        assert onboarding_services.application_admin_reinvite(application=application) is True
    assert _accept(client, old_token).status_code == 410
    from django.core import mail

    new_link = [m for m in mail.outbox if "/invite/" in m.body][-1].body.split("/invite/")[1]
    token = new_link.split("/")[0]
    connection.set_schema_to_public()
    assert _accept(client, token).status_code == 302
    connection.set_schema_to_public()
    assert onboarding_services.application_admin_reinvite(application=application) is False
