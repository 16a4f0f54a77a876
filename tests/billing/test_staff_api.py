"""Staff's billing API on the incubator's host (/api/v1/staff/billing/, by staff's session):
plans, sponsoring a company or a batch, the grace period, each company's billing. Nobody else
gets in, and the company hosts have no such endpoints."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing import local, services
from billing.entitlements import account_for
from billing.models import BillingAccount, Plan, SponsoredPeriod, SponsorKind
from onboarding import services as onboarding_services
from tests.billing.helpers import plan_of

STAFF = "localhost"
BASE = "/api/v1/staff/billing/"


def _client(username: str, role: str) -> Client:
    user_create(username=username, password="pw-123456", full_name="王晓燕", role=role)
    client = Client()
    assert client.post("/login/", {"username": username, "password": "pw-123456"},
                       HTTP_HOST=STAFF).status_code == 302
    return client


def _call(client, method, path, data=None):
    send = getattr(client, method)
    if method == "get":
        response = send(path, data or {}, HTTP_HOST=STAFF)
    else:
        response = send(path, data or {}, content_type="application/json", HTTP_HOST=STAFF)
    connection.set_schema_to_public()
    return response


@pytest.fixture
def staff(public_tenant):
    plan_of("standard")
    return _client("staff1", Role.STAFF)


def test_staff_edit_plans_over_the_api(staff, company_a):
    plans = _call(staff, "get", BASE + "plans/").json()
    assert [p["code"] for p in plans] == ["trial", "standard", "professional"]
    made = _call(staff, "post", BASE + "plans/", {
        "code": "plus", "name": "增强版", "price_month_fen": 150000, "price_year_fen": 1500000,
        "member_limit": 3000, "storage_quota_bytes": 10 ** 10, "features": ["api"]})
    assert made.status_code == 201, made.content
    assert made.json()["accounts_count"] == 0 and made.json()["is_public"] is True
    taken = _call(staff, "post", BASE + "plans/", {
        "code": "plus", "name": "x", "price_month_fen": 1, "price_year_fen": 1,
        "member_limit": 1, "storage_quota_bytes": 1, "features": []})
    assert taken.status_code == 400 and taken.json()["code"] == "plan_code_taken"
    unknown = _call(staff, "post", BASE + "plans/", {
        "code": "y", "name": "y", "price_month_fen": 1, "price_year_fen": 1,
        "member_limit": 1, "storage_quota_bytes": 1, "features": ["teleport"]})
    assert unknown.status_code == 400 and "features" in unknown.json()["fields"]
    # an edit: the fields sent change, the code never; a subscribed company keeps its copy
    standard = Plan.objects.get(code="standard")
    price = services.price_ensure(plan=standard, interval="month")
    local.checkout_complete(company=company_a, price=price, pay=True)
    edited = _call(staff, "patch", BASE + f"plans/{standard.pk}/",
                   {"member_limit": 1200, "code": "hijack"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["member_limit"] == 1200 and edited.json()["code"] == "standard"
    assert edited.json()["price_month_fen"] == 99900 and edited.json()["accounts_count"] == 1
    assert account_for(company_a).member_limit == 1000  # until its renewal


def test_staff_sponsor_a_batch_and_a_company_over_the_api(staff, make_company):
    alpha = make_company(name="甲公司", slug="alpha")
    beta = make_company(name="乙公司", slug="beta")
    today = timezone.localdate()
    ends = date(today.year + 1, 1, 31)
    batch = onboarding_services.batch_create(name="第一期", starts_on=today, ends_on=ends)
    onboarding_services.batch_enrol(batch=batch, company=alpha)
    body = {"starts_on": f"{today:%Y-%m-%d}", "ends_on": f"{ends:%Y-%m-%d}"}
    first = _call(staff, "post", BASE + f"batches/{batch.pk}/sponsor/", body)
    assert first.status_code == 200 and first.json() == {"companies": 1, "made": 1}
    assert _call(staff, "post", BASE + f"batches/{batch.pk}/sponsor/", body).json() == {
        "companies": 1, "made": 0}
    assert SponsoredPeriod.objects.filter(company=alpha, kind=SponsorKind.SPONSORED).count() == 1
    assert not SponsoredPeriod.objects.filter(company=beta, kind=SponsorKind.SPONSORED).exists()
    beta_account = account_for(beta)
    one = _call(staff, "post", BASE + f"accounts/{beta_account.pk}/sponsor/", body | {
        "note": "特批"})
    assert one.status_code == 201 and one.json()[0]["note"] == "特批"
    again = _call(staff, "post", BASE + f"accounts/{beta_account.pk}/sponsor/", body)
    assert again.status_code == 200 and again.json() == []
    reversed_ = _call(staff, "post", BASE + f"batches/{batch.pk}/sponsor/",
                      {"starts_on": body["ends_on"], "ends_on": body["starts_on"]})
    assert reversed_.status_code == 400
    assert reversed_.json()["code"] == "sponsorship_dates_invalid"
    grace = _call(staff, "post", BASE + f"accounts/{beta_account.pk}/grace/", {"days": 30})
    assert grace.status_code == 200 and grace.json()["grace_days"] == 30
    assert _call(staff, "post", BASE + f"accounts/{beta_account.pk}/grace/",
                 {"days": 365}).json()["code"] == "grace_days_invalid"
    detail = _call(staff, "get", BASE + f"accounts/{beta_account.pk}/").json()
    assert detail["account"]["company"] == "乙公司"
    assert {s["kind"] for s in detail["sponsorships"]} == {"trial", "sponsored"}
    overview = _call(staff, "get", BASE).json()
    # both sponsored past their trial's end (the period running longest shows)
    assert overview["by_status"]["sponsored"] == 2 and overview["mrr_fen"] == 0
    accounts = _call(staff, "get", BASE + "accounts/").json()
    assert sorted(a["company"] for a in accounts) == sorted(["甲公司", "乙公司"])
    assert {a["status"] for a in accounts} == {"sponsored"}


def test_only_staff_reach_the_staff_api(public_tenant, company_a):
    from django_tenants.utils import schema_context

    plan = plan_of("standard")
    account = account_for(company_a)
    trainer = _client("trainer1", Role.TRAINER)
    anonymous = Client()
    for client in (trainer, anonymous):
        for path in (BASE, BASE + "plans/", BASE + f"accounts/{account.pk}/"):
            assert _call(client, "get", path).status_code in (401, 403)
        assert _call(client, "patch", BASE + f"plans/{plan.pk}/",
                     {"member_limit": 1}).status_code in (401, 403)
        assert _call(client, "post", BASE + f"accounts/{account.pk}/sponsor/", {
            "starts_on": "2026-01-01", "ends_on": "2027-01-01"}).status_code in (401, 403)
    # a company admin, on their own host: no staff API there
    with schema_context("alpha"):
        user_create(username="admin", password="pw-123456", full_name="管理员",
                    role=Role.COMPANY_ADMIN)
    admin = Client()
    assert admin.post("/login/", {"username": "admin", "password": "pw-123456"},
                      HTTP_HOST="alpha.localhost").status_code == 302
    response = admin.get(BASE + "plans/", HTTP_HOST="alpha.localhost")
    connection.set_schema_to_public()
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.member_limit == 1000
    assert not SponsoredPeriod.objects.filter(kind=SponsorKind.SPONSORED).exists()
    assert BillingAccount.objects.get(pk=account.pk).grace_days == 14
