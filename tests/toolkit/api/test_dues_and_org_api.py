"""Dues and the organisation over the API: the page's forms and services, the same refusal
with the same words as the page, only the units a secretary runs, and A's token is nothing on
B."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import build_org, login
from toolkit.life import selectors
from toolkit.life.models import DuesPayment, DuesProfile
from toolkit.periods import add_months, month_start
from toolkit.points.models import LedgerEntry

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _last_month() -> str:
    return f"{add_months(month_start(timezone.localdate()), -1):%Y-%m}"


def test_recording_the_same_payment_twice_is_refused_alike_on_the_page_and_the_api(
        client, api, org_a):
    secretary, member = org_a.members[0], org_a.members[2]
    month = _last_month()
    login(client, A, secretary.user.username)
    client.post("/life/dues/manage/", {"member": member.pk, "month": month}, HTTP_HOST=A)
    page = client.post("/life/dues/manage/", {"member": member.pk, "month": month},
                       HTTP_HOST=A)
    connection.set_schema_to_public()
    shown = page.context["form"].errors["month"]
    client.logout()
    with schema_context("alpha"):
        payments, entries = DuesPayment.objects.count(), LedgerEntry.objects.count()
    assert payments == 1
    token = api_login(client, A, secretary.user.mobile)
    refused = api("post", A, "/api/v1/dues/payments/", token,
                  {"member": member.pk, "month": month})
    assert refused.status_code == 400
    assert refused.json() == {"code": "dues_already_recorded", "message": shown[0],
                              "fields": {}}
    with schema_context("alpha"):
        assert DuesPayment.objects.count() == payments
        assert LedgerEntry.objects.count() == entries


def test_a_secretary_records_dues_for_their_units_only(client, api, org_a, org_b):
    secretary, member, other = org_a.members[0], org_a.members[2], org_a.members[3]
    month = _last_month()
    token = api_login(client, A, secretary.user.mobile)
    assert api("post", B, "/api/v1/dues/payments/", token,
               {"member": member.pk, "month": month}).status_code == 401
    foreign = api("post", A, "/api/v1/dues/payments/", token, {"member": other.pk,
                                                               "month": month})
    assert foreign.status_code == 400 and set(foreign.json()["fields"]) == {"member"}
    bad = api("post", A, "/api/v1/dues/payments/", token, {"member": member.pk, "month": "x"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"month"}
    done = api("post", A, "/api/v1/dues/payments/", token, {"member": member.pk,
                                                            "month": month})
    assert done.status_code == 201 and done.json()["month"] == month
    member_token = api_login(client, A, member.user.mobile)
    assert api("post", A, "/api/v1/dues/payments/", member_token,
               {"member": member.pk, "month": month}).status_code == 403
    with schema_context("alpha"):
        assert list(DuesPayment.objects.values_list("member_id", flat=True)) == [member.pk]
    with schema_context("beta"):
        assert not DuesPayment.objects.exists()


def test_my_dues_and_declaring_my_wage(client, api, org_a, org_b):
    member, secretary = org_a.members[2], org_a.members[0]
    month = _last_month()
    sec_token = api_login(client, A, secretary.user.mobile)
    api("post", A, "/api/v1/dues/payments/", sec_token, {"member": org_a.members[4].pk,
                                                         "month": month})
    token = api_login(client, A, member.user.mobile)
    assert api("get", B, "/api/v1/dues/mine/", token).status_code == 401
    negative = api("post", A, "/api/v1/dues/declare/", token,
                   {"category": "employed", "monthly_wage": "-1"})
    assert negative.status_code == 400 and set(negative.json()["fields"]) == {"monthly_wage"}
    declared = api("post", A, "/api/v1/dues/declare/", token,
                   {"category": "employed", "monthly_wage": "5000.00"})
    assert declared.status_code == 200
    with schema_context("alpha"):
        profile = DuesProfile.objects.get(member=member)
        amount = selectors.member_monthly_dues(member=member)
        behind = selectors.months_behind(member=member)
    assert profile.monthly_wage == Decimal("5000.00") and amount > 0
    mine = api("get", A, "/api/v1/dues/mine/", token).json()
    assert Decimal(mine["amount"]) == amount and mine["category"] == "employed"
    assert mine["behind"] == [f"{m:%Y-%m}" for m in behind] and month in mine["behind"]
    assert mine["payments"] == []  # another member's payment is not mine
    with schema_context("beta"):
        assert not DuesProfile.objects.exists()


def test_who_is_behind_is_limited_to_the_units_the_secretary_runs(client, api, org_a, org_b):
    token = api_login(client, A, org_a.members[0].user.mobile)
    assert api("get", B, "/api/v1/dues/behind/", token).status_code == 401
    rows = api("get", A, "/api/v1/dues/behind/", token).json()["results"]
    assert {r["member"]["id"] for r in rows} == {
        m.pk for m in org_a.members if m.unit_id == org_a.branches[0].pk}
    member_token = api_login(client, A, org_a.members[2].user.mobile)
    assert api("get", A, "/api/v1/dues/behind/", member_token).status_code == 403


@pytest.fixture
def big_org(make_company):
    make_company(name="甲公司", slug="alpha")
    return build_org("alpha", members=70)


def test_who_is_behind_costs_the_same_queries_at_any_page_size(client, api, big_org):
    token = api_login(client, A, big_org.members[0].user.mobile)
    # The first API call remembers the company's billing answer (features_now): the
    # counts below are the list's own.
    api("get", A, "/api/v1/me/", token)
    counts = {}
    for size in (5, 30):
        with CaptureQueriesContext(connection) as queries:
            response = api("get", A, f"/api/v1/dues/behind/?page_size={size}", token)
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    print("dues/behind", counts)
    assert counts[5] == counts[30], counts


def test_the_org_tree_is_the_maps(client, api, org_a, org_b):
    token = api_login(client, A, org_a.members[2].user.mobile)
    assert api("get", B, "/api/v1/org/tree/", token).status_code == 401
    rows = api("get", A, "/api/v1/org/tree/", token).json()
    committee, first, second = rows
    assert (committee["id"], committee["kind"], committee["parent"], committee["depth"]) == (
        org_a.committee.pk, "committee", None, 0)
    assert [(r["id"], r["parent"], r["depth"]) for r in (first, second)] == [
        (org_a.branches[0].pk, org_a.committee.pk, 1),
        (org_a.branches[1].pk, org_a.committee.pk, 1)]
    assert first["secretary"] == org_a.members[0].user.get_full_name()
    assert (first["member_count"], second["member_count"], committee["member_count"]) == (
        3, 3, 0)
    assert committee["secretary"] is None
