"""The arena over the API: the pages' rules, the pages' refusals, isolation, flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.arena import services as arena
from toolkit.arena.models import Claim
from toolkit.points import selectors as points

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _task(org, *, places=1, title="整理档案"):
    with schema_context(org.schema):
        return arena.task_publish(publisher=org.branches[0], title=title, description="",
                                  points=5, places=places,
                                  deadline=timezone.now() + datetime.timedelta(days=3),
                                  by=org.admin)


def test_list_claim_and_my_claims(client, api, org_a):
    task = _task(org_a)
    token = api_login(client, A, org_a.members[2].user.mobile)
    listed = api("get", A, "/api/v1/arena/tasks/", token).json()
    assert [t["id"] for t in listed["results"]] == [task.pk] and listed["results"][0]["taken"] == 0
    claimed = api("post", A, f"/api/v1/arena/tasks/{task.pk}/claim/", token)
    assert claimed.status_code == 201 and claimed.json()["status"] == "claimed"
    mine = api("get", A, "/api/v1/arena/claims/", token).json()
    assert [c["task_id"] for c in mine["results"]] == [task.pk]
    assert api("get", A, "/api/v1/arena/claims/", token,
               {"status": "claimed"}).json()["count"] == 1
    assert api("get", A, "/api/v1/arena/claims/", token,
               {"status": "accepted"}).json()["count"] == 0
    bad = api("get", A, "/api/v1/arena/claims/", token, {"status": "nonsense"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"status"}
    detail = api("get", A, f"/api/v1/arena/tasks/{task.pk}/", token).json()
    assert detail["my_claim"]["id"] == claimed.json()["id"]


def test_another_members_claim_is_not_found_and_b_is_a_different_world(client, api, org_a,
                                                                       org_b):
    task_a, task_b = _task(org_a), _task(org_b)
    while task_b.pk < task_a.pk:  # sequences outlive rolled-back tests: line the ids up
        task_b = _task(org_b)
    while task_a.pk < task_b.pk:
        task_a = _task(org_a, title="另一个任务")
    assert task_a.pk == task_b.pk  # per-schema sequences: the same id on both sides
    with schema_context("alpha"):
        claim = arena.task_claim(task=task_a, member=org_a.members[2])
    with schema_context("beta"):
        arena.task_claim(task=task_b, member=org_b.members[2])
    owner = api_login(client, A, org_a.members[2].user.mobile)
    other = api_login(client, A, org_a.members[3].user.mobile)
    assert api("get", A, f"/api/v1/arena/claims/{claim.pk}/", owner).status_code == 200
    refused = api("get", A, f"/api/v1/arena/claims/{claim.pk}/", other)
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    # A's token on B's host, for the claim with the same id there.
    assert api("get", B, f"/api/v1/arena/claims/{claim.pk}/", owner).status_code == 401
    assert api("post", B, f"/api/v1/arena/tasks/{task_b.pk}/claim/", owner).status_code == 401


def test_a_full_task_is_refused_alike_on_the_page_and_through_the_api(client, api, org_a):
    task = _task(org_a, places=1)
    with schema_context("alpha"):
        arena.task_claim(task=task, member=org_a.members[2])
        balance = points.balance_of(member=org_a.members[3])
    # The page: the message it shows.
    login(client, A, org_a.members[3].user.username)
    page = client.post(f"/arena/{task.pk}/claim/", HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    shown = [str(m) for m in page.context["messages"]]
    client.logout()
    # The API: the same message, with a stable code.
    token = api_login(client, A, org_a.members[3].user.mobile)
    refused = api("post", A, f"/api/v1/arena/tasks/{task.pk}/claim/", token)
    assert refused.status_code == 400
    assert refused.json() == {"code": "task_full", "message": "名额已满。", "fields": {}}
    assert shown == ["名额已满。"]
    with schema_context("alpha"):
        assert Claim.objects.filter(task=task).count() == 1  # neither added a claim
        assert points.balance_of(member=org_a.members[3]) == balance


def _fill(org, member) -> None:
    """30 of everything a member's lists show."""
    from toolkit.life.models import MeetingKind
    from toolkit.life.services import meeting_create
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    for number in range(30):
        task = _task(org, places=2, title=f"任务{number}")
        with schema_context(org.schema):
            arena.task_claim(task=task, member=member)
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=1)
            start = timezone.now() + datetime.timedelta(days=number + 1)
            meeting_create(unit=member.unit, kind=MeetingKind.THEME_DAY, title=f"会{number}",
                           starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                           by=org.admin)


@pytest.mark.parametrize("path", ["/api/v1/arena/tasks/", "/api/v1/arena/claims/",
                                  "/api/v1/points/history/", "/api/v1/meetings/"])
def test_lists_cost_the_same_queries_at_any_page_size(client, api, org_a, path):
    member = org_a.members[2]
    _fill(org_a, member)
    token = api_login(client, A, member.user.mobile)
    # The first API call remembers the company's billing answer (features_now): the
    # counts below are the list's own.
    api("get", A, "/api/v1/me/", token)
    counts = {}
    for size in (5, 30):
        with CaptureQueriesContext(connection) as queries:
            response = api("get", A, f"{path}?page_size={size}", token)
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    print(path, counts)
    assert counts[5] == counts[30], counts


def test_errors_have_one_shape(client, api, org_a):
    token = api_login(client, A, org_a.members[2].user.mobile)
    missing = api("get", A, "/api/v1/arena/tasks/999999/", token)
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "message", "fields"}
    bad = api("post", A, "/api/v1/auth/login/", data={"mobile": ""})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert set(bad.json()["fields"]) == {"mobile", "password"}
    anonymous = api("get", A, "/api/v1/arena/tasks/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_the_admin_who_is_no_member_may_list_but_not_claim(client, api, org_a):
    task = _task(org_a)
    token = api_login(client, A, "admin")
    assert api("get", A, "/api/v1/arena/tasks/", token).status_code == 200
    refused = api("post", A, f"/api/v1/arena/tasks/{task.pk}/claim/", token)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_submit_evidence_as_multipart_only_on_my_own_claim(client, api, org_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from toolkit.arena.models import ClaimStatus, Evidence

    task = _task(org_a, places=2)
    with schema_context("alpha"):
        claim = arena.task_claim(task=task, member=org_a.members[2])
    owner = api_login(client, A, org_a.members[2].user.mobile)
    other = api_login(client, A, org_a.members[3].user.mobile)
    path = f"/api/v1/arena/claims/{claim.pk}/submit/"
    stranger = client.post(path, {"text": "别人的"}, HTTP_HOST=A,
                           HTTP_AUTHORIZATION=f"Token {other}")
    assert stranger.status_code == 404
    empty = client.post(path, {"text": ""}, HTTP_HOST=A, HTTP_AUTHORIZATION=f"Token {owner}")
    assert empty.status_code == 400 and empty.json()["code"] == "evidence_missing"
    done = client.post(path, {"text": "已完成", "files": [SimpleUploadedFile("照片.png", PNG)]},
                       HTTP_HOST=A, HTTP_AUTHORIZATION=f"Token {owner}")
    connection.set_schema_to_public()
    assert done.status_code == 200 and done.json()["status"] == ClaimStatus.SUBMITTED
    with schema_context("alpha"):
        assert Evidence.objects.filter(claim=claim).count() == 1


def test_leaderboard_by_period_and_unit(client, api, org_a):
    from toolkit.points.models import RuleCode
    from toolkit.points.services import points_award

    with schema_context("alpha"):
        for index, member in enumerate(org_a.members[:4]):
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=10 + index)
    token = api_login(client, A, org_a.members[2].user.mobile)
    board = api("get", A, "/api/v1/points/leaderboard/", token, {"period": "year"}).json()
    assert [row["points"] for row in board] == [13, 12, 11, 10]
    branch = org_a.branches[1]
    mine = api("get", A, "/api/v1/points/leaderboard/", token, {"unit": branch.pk}).json()
    assert {row["member_id"] for row in mine} == {m.pk for m in org_a.members[:4]
                                                  if m.unit_id == branch.pk}
    missing = api("get", A, "/api/v1/points/leaderboard/", token, {"unit": 999999})
    assert missing.status_code == 404


def test_reviews_are_for_managers_of_the_publishing_unit(client, api, org_a):
    from toolkit.points.selectors import balance_of

    task = _task(org_a, places=3)  # published by branch 0
    member = org_a.members[2]
    with schema_context("alpha"):
        claim = arena.task_claim(task=task, member=member)
        arena.claim_submit(claim=claim, member=member, text="已完成", files=[])
    plain = api_login(client, A, org_a.members[3].user.mobile)
    refused = api("get", A, "/api/v1/arena/reviews/", plain)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert api("post", A, f"/api/v1/arena/reviews/{claim.pk}/", plain,
               {"decision": "accept"}).status_code == 403
    # Branch 1's secretary manages a unit, but not the publisher: sees nothing, may not review.
    other_secretary = api_login(client, A, org_a.members[1].user.mobile)
    assert api("get", A, "/api/v1/arena/reviews/", other_secretary).json()["results"] == []
    assert api("post", A, f"/api/v1/arena/reviews/{claim.pk}/", other_secretary,
               {"decision": "accept"}).status_code == 403
    secretary = api_login(client, A, org_a.members[0].user.mobile)
    waiting = api("get", A, "/api/v1/arena/reviews/", secretary).json()["results"]
    assert [c["id"] for c in waiting] == [claim.pk]
    no_reason = api("post", A, f"/api/v1/arena/reviews/{claim.pk}/", secretary,
                    {"decision": "return"})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "return_reason_missing"
    accepted = api("post", A, f"/api/v1/arena/reviews/{claim.pk}/", secretary,
                   {"decision": "accept"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    with schema_context("alpha"):
        assert balance_of(member=member) == task.points
