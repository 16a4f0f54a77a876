"""Secretaries' and the admin's writes over the API (publishing and closing tasks, points
corrections, the mall's shelf): the pages' forms, services and access rules; isolation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.arena.models import Task, TaskStatus
from toolkit.mall.models import Redemption, Reward
from toolkit.periods import month_start
from toolkit.points import selectors as points
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _deadline(days=3) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


def _task_in(unit, **extra) -> dict:
    return {"publisher": unit.pk, "title": "整理档案", "description": "", "points": 5,
            "places": 2, "deadline": _deadline(), **extra}


def test_a_secretary_publishes_for_their_unit_and_closes_it(client, api, org_a):
    secretary = org_a.members[0]  # secretary of the first branch
    token = api_login(client, A, secretary.user.mobile)
    made = api("post", A, "/api/v1/arena/tasks/", token, _task_in(org_a.branches[0]))
    assert made.status_code == 201, made.content
    assert (made.json()["publisher"], made.json()["taken"]) == (org_a.branches[0].name, 0)
    other_unit = api("post", A, "/api/v1/arena/tasks/", token, _task_in(org_a.branches[1]))
    assert other_unit.status_code == 400 and set(other_unit.json()["fields"]) == {"publisher"}
    bad = api("post", A, "/api/v1/arena/tasks/", token,
              _task_in(org_a.branches[0], points=0, title=""))
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"points", "title"}
    task_id = made.json()["id"]
    # The other branch's secretary does not manage this task: the service's access rule.
    stranger = api_login(client, A, org_a.members[1].user.mobile)
    refused = api("post", A, f"/api/v1/arena/tasks/{task_id}/close/", stranger)
    assert refused.status_code == 403
    closed = api("post", A, f"/api/v1/arena/tasks/{task_id}/close/", token)
    assert closed.json() == {"id": task_id, "status": TaskStatus.CLOSED}
    again = api("post", A, f"/api/v1/arena/tasks/{task_id}/close/", token)
    assert again.status_code == 400 and again.json()["code"] == "task_closed"


def test_a_member_may_neither_publish_nor_close(client, api, org_a):
    with schema_context("alpha"):
        task = Task.objects.create(publisher=org_a.branches[0], title="任务", points=5,
                                   places=1, deadline=timezone.now() + datetime.timedelta(1),
                                   created_by=org_a.admin)
    token = api_login(client, A, org_a.members[2].user.mobile)
    assert api("post", A, "/api/v1/arena/tasks/", token,
               _task_in(org_a.branches[0])).status_code == 403
    assert api("post", A, f"/api/v1/arena/tasks/{task.pk}/close/", token).status_code == 403
    with schema_context("alpha"):
        assert Task.objects.count() == 1 and Task.objects.get().status == TaskStatus.OPEN


def test_a_past_deadline_is_refused_alike_on_the_page_and_through_the_api(client, api, org_a):
    secretary = org_a.members[0]
    past = timezone.localtime() - datetime.timedelta(hours=1)
    login(client, A, secretary.user.username)
    page = client.post("/arena/new/", {
        "publisher": org_a.branches[0].pk, "title": "过期", "points": 5, "places": 1,
        "deadline": past.strftime("%Y-%m-%dT%H:%M")}, HTTP_HOST=A)
    connection.set_schema_to_public()
    client.logout()
    token = api_login(client, A, secretary.user.mobile)
    refused = api("post", A, "/api/v1/arena/tasks/", token,
                  _task_in(org_a.branches[0], deadline=past.isoformat()))
    assert refused.status_code == 400 and refused.json()["code"] == "deadline_in_past"
    assert page.context["form"].non_field_errors() == [refused.json()["message"]]
    with schema_context("alpha"):
        assert not Task.objects.exists()


def test_as_task_ids_on_b_and_as_token_on_b(client, api, org_a, org_b):
    token = api_login(client, A, "admin")
    with schema_context("beta"):
        task_b = Task.objects.create(publisher=org_b.branches[0], title="乙任务", points=5,
                                     places=1, deadline=timezone.now() + datetime.timedelta(1),
                                     created_by=org_b.admin)
    with schema_context("alpha"):
        Task.objects.filter(pk=task_b.pk).delete()  # that id is nothing on A
    assert api("post", A, f"/api/v1/arena/tasks/{task_b.pk}/close/", token).status_code == 404
    assert api("post", B, f"/api/v1/arena/tasks/{task_b.pk}/close/", token).status_code == 401
    assert api("post", B, "/api/v1/arena/tasks/", token,
               _task_in(org_b.branches[0])).status_code == 401
    with schema_context("beta"):
        task_b.refresh_from_db()
        assert task_b.status == TaskStatus.OPEN


def test_a_correction_is_the_pages_form_and_service(client, api, org_a, org_b):
    member = org_a.members[3]
    token = api_login(client, A, "admin")
    made = api("post", A, "/api/v1/points/corrections/", token,
               {"member": member.pk, "amount": 7, "category": "contribution",
                "note": "补录活动积分"})
    assert made.status_code == 201, made.content
    assert made.json()["amount"] == 7 and made.json()["note"].startswith("补录活动积分（")
    with schema_context("alpha"):
        assert points.balance_of(member=member) == 7
    bad = api("post", A, "/api/v1/points/corrections/", token,
              {"member": 999999, "amount": 10**9, "note": ""})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"member", "amount", "note",
                                                              "category"}
    assert api("post", B, "/api/v1/points/corrections/", token,
               {"member": org_b.members[3].pk, "amount": 7, "category": "positive",
                "note": "x"}).status_code == 401
    with schema_context("beta"):
        assert points.balance_of(member=org_b.members[3]) == 0


def test_the_shelf_add_edit_and_hand_out(client, api, org_a, org_b):
    token = api_login(client, A, "admin")
    made = api("post", A, "/api/v1/mall/manage/rewards/", token,
               {"name": "党徽", "description": "", "cost": 10, "stock": 2})
    assert made.status_code == 201, made.content
    reward_id = made.json()["id"]
    assert made.json()["active"] is True
    bad = api("post", A, "/api/v1/mall/manage/rewards/", token,
              {"name": "", "cost": 0, "stock": -1})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"name", "cost", "stock"}
    off = api("patch", A, f"/api/v1/mall/manage/rewards/{reward_id}/", token,
              {"active": False, "stock": 5})
    assert off.status_code == 200
    assert (off.json()["active"], off.json()["stock"], off.json()["cost"]) == (False, 5, 10)
    listed = api("get", A, "/api/v1/mall/manage/rewards/", token).json()
    assert [r["id"] for r in listed["results"]] == [reward_id]  # off the shelf, still listed
    member = org_a.members[3]
    with schema_context("alpha"):
        entry = points_award(member=member, rule=RuleCode.CORRECTION, amount=10)
        redemption = Redemption.objects.create(member=member, reward_id=reward_id,
                                               ledger_entry=entry, month=month_start())
    listed = api("get", A, "/api/v1/mall/manage/redemptions/", token).json()
    assert [(r["id"], r["member_id"], r["fulfilled_at"]) for r in listed["results"]] == [
        (redemption.pk, member.pk, None)]
    done = api("post", A, f"/api/v1/mall/manage/redemptions/{redemption.pk}/fulfil/", token)
    assert done.status_code == 200 and done.json()["fulfilled_at"] is not None
    with schema_context("alpha"):
        assert Redemption.objects.get(pk=redemption.pk).fulfilled_at is not None
    # B's ids that A does not have are not found; A's token is nothing on B.
    with schema_context("beta"):
        reward_b = Reward.objects.create(name="乙奖品", cost=1, stock=1)
        while reward_b.pk <= reward_id:
            reward_b = Reward.objects.create(name="乙奖品", cost=1, stock=1)
    missing = api("patch", A, f"/api/v1/mall/manage/rewards/{reward_b.pk}/", token,
                  {"stock": 0})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert api("post", A, f"/api/v1/mall/manage/redemptions/{redemption.pk + 1000}/fulfil/",
               token).status_code == 404
    assert api("get", B, "/api/v1/mall/manage/rewards/", token).status_code == 401
    assert api("patch", B, f"/api/v1/mall/manage/rewards/{reward_b.pk}/", token,
               {"stock": 0}).status_code == 401
    with schema_context("beta"):
        assert Reward.objects.get(pk=reward_b.pk).stock == 1


@pytest.mark.parametrize("path", ["/api/v1/mall/manage/rewards/",
                                  "/api/v1/mall/manage/redemptions/"])
def test_the_shelf_lists_cost_the_same_queries_at_any_page_size(client, api, org_a, path):
    with schema_context("alpha"):
        rewards = [Reward.objects.create(name=f"奖品{n}", cost=1, stock=100) for n in range(30)]
        for number, reward in enumerate(rewards):
            member = org_a.members[number % 6]
            entry = points_award(member=member, rule=RuleCode.CORRECTION, amount=1)
            Redemption.objects.create(member=member, reward=reward, ledger_entry=entry,
                                      month=month_start() - datetime.timedelta(days=31 * number))
    token = api_login(client, A, "admin")
    # The first API call remembers the company's billing answer (features_now): the
    # counts below are the list's own.
    api("get", A, "/api/v1/me/", token)
    counts = {}
    for size in (5, 30):
        with CaptureQueriesContext(connection) as queries:
            response = api("get", A, f"{path}?page_size={size}", token)
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    print(counts)
    assert counts[5] == counts[30], counts
