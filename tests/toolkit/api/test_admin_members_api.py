"""The admin's member management over the API: the pages' filters, form, services and access
rules; isolation; refusals alike on the page and through the API; flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import AuditAction, AuditEntry, User
from accounts.services import user_deactivate
from onboarding.company.models import ImportStatus, MemberImport
from tests.billing.helpers import member_limit_set_all
from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.org.models import Member
from toolkit.org.services import member_upsert

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"

ADMIN_ONLY = [  # (method, path): every admin-only endpoint; {m} is a member, {j} an import
    ("get", "/api/v1/members/"), ("post", "/api/v1/members/"),
    ("get", "/api/v1/members/{m}/"), ("patch", "/api/v1/members/{m}/"),
    ("post", "/api/v1/members/{m}/deactivate/"), ("post", "/api/v1/members/{m}/reactivate/"),
    ("get", "/api/v1/members/imports/{j}/"), ("post", "/api/v1/points/corrections/"),
    ("get", "/api/v1/mall/manage/rewards/"), ("post", "/api/v1/mall/manage/rewards/"),
    ("patch", "/api/v1/mall/manage/rewards/1/"), ("get", "/api/v1/mall/manage/redemptions/"),
    ("post", "/api/v1/mall/manage/redemptions/1/fulfil/"),
]


def _sequence_past(model, pk: int) -> None:
    """Moves this schema's id sequence for `model` beyond `pk` (sequences outlive rolled-back
    tests, so the two companies' ids drift apart)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                       [model._meta.db_table, pk + 1])


def _import(org) -> MemberImport:
    with schema_context(org.schema):
        return MemberImport.objects.create(file_name="名单.xlsx", uploaded_by=org.admin,
                                           status=ImportStatus.DONE, total_rows=3,
                                           created_count=3)


@pytest.mark.parametrize("who", [2, 0])  # a plain member, a branch secretary
def test_members_and_secretaries_are_refused_every_admin_endpoint(client, api, org_a, who):
    job = _import(org_a)
    token = api_login(client, A, org_a.members[who].user.mobile)
    for method, path in ADMIN_ONLY:
        response = api(method, A, path.format(m=org_a.members[3].pk, j=job.pk), token,
                       {"full_name": "改名"})
        assert response.status_code == 403, (method, path)
        assert response.json()["code"] == "permission_denied"
    with schema_context("alpha"):
        assert Member.objects.get(pk=org_a.members[3].pk).user.full_name != "改名"
        assert org_a.members[3].user.is_active


def test_as_token_is_nothing_on_b_and_bs_ids_are_not_found_on_a(client, api, org_a, org_b):
    token = api_login(client, A, "admin")
    last_job_a = _import(org_a)
    with schema_context("beta"):  # B gets a member and an import whose ids A does not have
        _sequence_past(Member, max(m.pk for m in org_a.members))
        _sequence_past(MemberImport, last_job_a.pk)
        member_b = Member.objects.create(user=User.objects.create(
            username="13700000000", mobile="13700000000", full_name="乙党员"),
            unit=org_b.branches[0])
    job_b = _import(org_b)
    for method, path in ADMIN_ONLY[2:7]:
        response = api(method, A, path.format(m=member_b.pk, j=job_b.pk), token,
                       {"full_name": "改名"})
        assert response.status_code == 404, (method, path)
        assert response.json()["code"] == "not_found"
        assert api(method, B, path.format(m=member_b.pk, j=job_b.pk), token,
                   {"full_name": "改名"}).status_code == 401
    with schema_context("beta"):
        member_b.user.refresh_from_db()
        assert member_b.user.full_name == "乙党员"
        assert member_b.user.is_active


def test_the_list_filters_as_the_page_does(client, api, org_a):
    token = api_login(client, A, "admin")
    with schema_context("alpha"):
        user_deactivate(target=org_a.members[4].user, by=org_a.admin)
    listed = api("get", A, "/api/v1/members/", token).json()
    assert listed["count"] == 6
    one = org_a.members[3]
    found = api("get", A, "/api/v1/members/", token, {"q": one.user.full_name}).json()
    assert [m["id"] for m in found["results"]] == [one.pk]
    branch = api("get", A, "/api/v1/members/", token, {"unit": org_a.branches[0].pk}).json()
    assert {m["id"] for m in branch["results"]} == {m.pk for m in org_a.members
                                                   if m.unit_id == org_a.branches[0].pk}
    off = api("get", A, "/api/v1/members/", token, {"state": "deactivated"}).json()
    assert [m["id"] for m in off["results"]] == [org_a.members[4].pk]
    bad = api("get", A, "/api/v1/members/", token, {"unit": 999999, "state": "odd"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"unit", "state"}
    detail = api("get", A, f"/api/v1/members/{one.pk}/", token).json()
    assert detail["mobile"] == one.user.mobile and detail["is_active"] is True


def test_edit_is_the_pages_form_and_service_and_is_audited(client, api, org_a):
    token = api_login(client, A, "admin")
    member = org_a.members[3]
    edited = api("patch", A, f"/api/v1/members/{member.pk}/", token, {"full_name": "新名字"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["full_name"] == "新名字"
    assert edited.json()["mobile"] == member.user.mobile  # untouched fields keep their values
    with schema_context("alpha"):
        entry = AuditEntry.objects.get(target=member.user, action=AuditAction.MEMBER_EDITED)
        assert entry.actor_id == org_a.admin.pk and "新名字" in entry.detail
    bad = api("patch", A, f"/api/v1/members/{member.pk}/", token,
              {"email": "not-an-email", "status": "odd"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"email", "status"}


def test_a_taken_mobile_is_refused_alike_on_the_page_and_through_the_api(client, api, org_a):
    member, other = org_a.members[3], org_a.members[4]
    login(client, A, "admin")
    page = client.post(f"/members/{member.pk}/", {
        "full_name": member.user.full_name, "mobile": other.user.mobile, "email": "",
        "gender": "", "status": member.status, "position": member.position}, HTTP_HOST=A)
    connection.set_schema_to_public()
    page_errors = page.context["form"].errors["mobile"]
    client.logout()
    token = api_login(client, A, "admin")
    refused = api("patch", A, f"/api/v1/members/{member.pk}/", token,
                  {"mobile": other.user.mobile})
    assert refused.status_code == 400
    assert refused.json()["code"] == "member_mobile_taken"
    assert refused.json()["fields"]["mobile"] == page_errors
    assert page_errors == ["该手机号已被本公司的其他账号使用。"]
    with schema_context("alpha"):
        member.user.refresh_from_db()
        assert member.user.mobile != other.user.mobile
        assert not AuditEntry.objects.filter(target=member.user).exists()


def test_create_one_member_and_the_plan_limit_as_on_the_wizard_page(client, api, org_a,
                                                                    monkeypatch):
    token = api_login(client, A, "admin")
    made = api("post", A, "/api/v1/members/", token, {
        "full_name": "王新", "mobile": "13800000007", "unit": org_a.branches[1].pk})
    assert made.status_code == 201, made.content
    assert made.json()["unit_id"] == org_a.branches[1].pk and made.json()["status"] == "full"
    taken = api("post", A, "/api/v1/members/", token, {
        "full_name": "抢号", "mobile": org_a.members[2].user.mobile,
        "unit": org_a.branches[1].pk})  # never moves the person who has that number
    assert taken.status_code == 400 and taken.json()["code"] == "member_mobile_taken"
    bad = api("post", A, "/api/v1/members/", token, {"mobile": "123", "unit": 999999})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"full_name", "unit"}
    invalid = api("post", A, "/api/v1/members/", token,
                  {"full_name": "错号", "mobile": "123", "unit": org_a.branches[0].pk})
    assert invalid.status_code == 400 and set(invalid.json()["fields"]) == {"mobile"}
    member_limit_set_all(7)  # seven members now: full
    login(client, A, "admin")
    page = client.post("/setup/", {
        "name": "第三党支部", "kind": "branch", "parent": org_a.committee.pk,
        "secretary_name": "新书记", "secretary_mobile": "13800000008"}, HTTP_HOST=A)
    connection.set_schema_to_public()
    client.logout()
    over = api("post", A, "/api/v1/members/", token, {
        "full_name": "超额", "mobile": "13800000008", "unit": org_a.branches[0].pk})
    assert over.status_code == 400 and over.json()["code"] == "member_limit_reached"
    assert over.json()["message"] == ("已达到套餐“试用版”的党员上限 7 人，不能再增加党员。"
                                      "请管理员在“套餐与账单”（/billing/）升级套餐。")
    assert over.json()["message"] in page.content.decode()
    with schema_context("alpha"):
        assert not User.objects.filter(mobile="13800000008").exists()
        assert Member.objects.count() == 7


def test_deactivate_and_reactivate_with_the_pages_refusals(client, api, org_a, monkeypatch):
    member = org_a.members[3]
    token = api_login(client, A, "admin")
    off = api("post", A, f"/api/v1/members/{member.pk}/deactivate/", token)
    assert off.status_code == 200 and off.json()["is_active"] is False
    again = api("post", A, f"/api/v1/members/{member.pk}/deactivate/", token)
    assert again.status_code == 400 and again.json()["code"] == "account_already_inactive"
    member_limit_set_all(5)  # five active: no room to come back
    login(client, A, "admin")
    page = client.post(f"/members/{member.pk}/reactivate/", HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    shown = [str(m) for m in page.context["messages"]]
    client.logout()
    over = api("post", A, f"/api/v1/members/{member.pk}/reactivate/", token)
    assert over.status_code == 400 and over.json()["code"] == "member_limit_reached"
    assert shown == [over.json()["message"]]
    with schema_context("alpha"):
        member.user.refresh_from_db()
        assert member.user.is_active is False
    member_limit_set_all(6)
    back = api("post", A, f"/api/v1/members/{member.pk}/reactivate/", token)
    assert back.status_code == 200 and back.json()["is_active"] is True
    with schema_context("alpha"):
        assert list(AuditEntry.objects.filter(target=member.user).order_by("id")
                    .values_list("action", flat=True)) == [AuditAction.DEACTIVATED,
                                                           AuditAction.REACTIVATED]


def test_an_imports_status_and_progress(client, api, org_a):
    job = _import(org_a)
    token = api_login(client, A, "admin")
    got = api("get", A, f"/api/v1/members/imports/{job.pk}/", token).json()
    assert (got["status"], got["progress"], got["created_count"]) == ("done", 100, 3)
    with schema_context("alpha"):
        MemberImport.objects.filter(pk=job.pk).update(status=ImportStatus.PREVIEWED)
    assert api("get", A, f"/api/v1/members/imports/{job.pk}/", token).json()["progress"] == 0


def test_the_member_list_costs_the_same_queries_at_any_page_size(client, api, org_a):
    with schema_context("alpha"):
        for number in range(30):
            member_upsert(name=f"党员{number}", mobile=str(13600000000 + number),
                          unit=org_a.branches[number % 2])
    token = api_login(client, A, "admin")
    # The first API call remembers the company's billing answer (features_now): the
    # counts below are the list's own.
    api("get", A, "/api/v1/me/", token)
    counts = {}
    for size in (5, 30):
        with CaptureQueriesContext(connection) as queries:
            response = api("get", A, f"/api/v1/members/?page_size={size}", token)
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    print(counts)
    assert counts[5] == counts[30], counts
