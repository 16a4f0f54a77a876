"""Rate limits on the application form (it sends e-mail) and on every page that checks a code or
token: the request past the limit gets a Chinese 429 page; counters are per IP or member and
per company."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from onboarding.company import services as invitations
from onboarding.models import Application
from tests.onboarding.conftest import VALID_CODES, application_data
from tests.toolkit.conftest import login
from toolkit.life import services as life
from toolkit.life.models import MeetingKind
from toolkit.org.models import Member

REFUSED = "短时间内请求次数过多"


@pytest.fixture(autouse=True)
def _small_rates(settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "apply": "3/h",
                                "invitation": "3/h", "checkin-user": "3/10m"}


def _form(**overrides) -> dict:
    data = application_data(**overrides)
    data.pop("preferred_batch")
    return data


def _refused(response) -> bool:
    return response.status_code == 429 and REFUSED in response.content.decode()


def test_the_fourth_application_from_one_ip_is_refused(client, public_tenant):
    for code in VALID_CODES:  # three different companies: all go through
        response = client.post("/apply/", _form(credit_code=code),
                               HTTP_HOST="localhost", REMOTE_ADDR="10.1.0.1")
        assert response.status_code == 302
    sent = len(mail.outbox)
    fourth = client.post("/apply/", _form(credit_code="91310000MA1FL0BC6R"),
                         HTTP_HOST="localhost", REMOTE_ADDR="10.1.0.1")
    assert _refused(fourth)
    assert Application.objects.count() == 3 and len(mail.outbox) == sent
    # Reading the form is not counted, and another address has its own budget.
    assert client.get("/apply/", HTTP_HOST="localhost", REMOTE_ADDR="10.1.0.1").status_code == 200
    other = client.post("/apply/", _form(credit_code="91310000MA1FL0BC6R"),
                        HTTP_HOST="localhost", REMOTE_ADDR="10.1.0.2")
    assert other.status_code in (200, 302) and not _refused(other)


def _invite(company):
    with schema_context(company.schema_name):
        invitation = invitations.admin_invite(company=company, full_name="周建国",
                                              email="zhou@example.cn", mobile="13712345678")
        return invitations.invitation_token(invitation), invitation.user


def test_the_invitation_link_is_refused_past_the_limit_per_company(client, make_company):
    alpha, beta = make_company(slug="alpha"), make_company(slug="beta")
    (alpha_token, admin), (beta_token, _) = _invite(alpha), _invite(beta)
    for _ in range(3):
        assert client.get(f"/invite/{alpha_token}/", HTTP_HOST="alpha.localhost").status_code == 200
    password = {"new_password1": "Xinghuo-2026!", "new_password2": "Xinghuo-2026!"}
    assert _refused(client.post(f"/invite/{alpha_token}/", password,
                                HTTP_HOST="alpha.localhost"))
    with schema_context("alpha"):
        admin.refresh_from_db()
        assert not admin.has_usable_password()
    # The same address on another company's site counts from zero.
    assert client.get(f"/invite/{beta_token}/", HTTP_HOST="beta.localhost").status_code == 200


def _member_numbered(org, pk: int):
    """A member whose user id is `pk` in org's schema: ids restart in every schema."""
    with schema_context(org.schema):
        user = User.objects.create(pk=pk, username=f"1380000{pk}", full_name="同号党员",
                                   password=make_password("pw-123456"))
        return Member.objects.create(user=user, unit=org.branches[0])


@pytest.fixture
def meetings(org_a, org_b):
    now = timezone.now()
    made = []
    for org in (org_a, org_b):
        with schema_context(org.schema):
            meeting = life.meeting_create(
                unit=org.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
                starts_at=now - datetime.timedelta(minutes=10),
                ends_at=now + datetime.timedelta(hours=2), by=org.members[0].user)
            made.append(life.checkin_code(meeting))
    return made


def test_the_checkin_code_is_refused_past_the_limit_per_member_and_company(client, org_a,
                                                                          org_b, meetings):
    alpha_code, beta_code = meetings
    alpha_member, beta_member = _member_numbered(org_a, 9001), _member_numbered(org_b, 9001)
    login(client, "alpha.localhost", alpha_member.user.username)
    for _ in range(3):
        assert client.get(f"/life/checkin/{alpha_code}/",
                          HTTP_HOST="alpha.localhost").status_code == 200
    assert _refused(client.post(f"/life/checkin/{alpha_code}/", HTTP_HOST="alpha.localhost"))
    connection.set_schema_to_public()

    # Beta's member with the same user id has a counter of their own.
    client.logout()
    login(client, "beta.localhost", beta_member.user.username)
    done = client.post(f"/life/checkin/{beta_code}/", HTTP_HOST="beta.localhost")
    assert done.status_code == 200 and "签到成功" in done.content.decode()


def test_the_refusal_page_speaks_english_to_english_readers(client, public_tenant, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "apply": "0/h"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/apply/", _form(), HTTP_HOST="localhost")
    assert response.status_code == 429 and "Too many requests" in response.content.decode()
