"""Meetings and the mall over the API: the same access rule, services and refusals as the
pages; another branch's meeting is refused; A's token is nothing on B."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.life import services as life
from toolkit.life.models import Attendance, MeetingKind
from toolkit.mall.models import Redemption, Reward
from toolkit.periods import month_start
from toolkit.points.models import LedgerEntry, RedemptionRight, RuleCode
from toolkit.points.selectors import balance_of
from toolkit.points.services import points_award

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _meeting(org, branch: int):
    now = timezone.now()
    with schema_context(org.schema):
        return life.meeting_create(
            unit=org.branches[branch], kind=MeetingKind.THEME_DAY, title=f"支部{branch}主题党日",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2), by=org.members[branch].user)


def test_meetings_are_those_the_access_rule_allows(client, api, org_a, org_b):
    mine, other = _meeting(org_a, 0), _meeting(org_a, 1)
    on_b = _meeting(org_b, 0)
    while on_b.pk < mine.pk:  # the same id on both sides
        on_b = _meeting(org_b, 0)
    member = org_a.members[2]  # in branch 0 (members alternate between branches)
    assert member.unit_id == org_a.branches[0].pk
    token = api_login(client, A, member.user.mobile)
    listed = api("get", A, "/api/v1/meetings/", token).json()
    assert [m["id"] for m in listed["results"]] == [mine.pk]
    assert api("get", A, f"/api/v1/meetings/{mine.pk}/", token).status_code == 200
    refused = api("get", A, f"/api/v1/meetings/{other.pk}/", token)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert api("get", B, f"/api/v1/meetings/{on_b.pk}/", token).status_code == 401


def test_checkin_with_the_code_and_a_code_from_a_is_nothing_on_b(client, api, org_a, org_b):
    meeting = _meeting(org_a, 0)
    member = org_a.members[2]
    with schema_context("alpha"):
        code = life.checkin_code(meeting)
    token = api_login(client, A, member.user.mobile)
    done = api("post", A, "/api/v1/meetings/checkin/", token, {"code": code})
    assert done.status_code == 201 and done.json()["meeting"]["id"] == meeting.pk
    with schema_context("alpha"):
        assert Attendance.objects.filter(meeting=meeting, member=member).exists()
    again = api("post", A, "/api/v1/meetings/checkin/", token, {"code": code})
    assert again.status_code == 400 and again.json()["code"] == "already_checked_in"
    # B's member, with A's code, on B's host.
    b_token = api_login(client, B, org_b.members[2].user.mobile)
    foreign = api("post", B, "/api/v1/meetings/checkin/", b_token, {"code": code})
    assert foreign.status_code == 400 and foreign.json()["code"] == "checkin_code_invalid"
    with schema_context("beta"):
        assert not Attendance.objects.exists()


def _eligible(member, points: int) -> None:
    points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=points)
    RedemptionRight.objects.create(member=member, closed_month=month_start(),
                                   valid_month=month_start())


def test_too_few_points_is_refused_alike_on_the_page_and_through_the_api(client, api, org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        _eligible(member, points=10)
        reward = Reward.objects.create(name="保温杯", cost=30, stock=3)
        entries = LedgerEntry.objects.count()
    login(client, A, member.user.username)
    page = client.post(f"/mall/{reward.pk}/redeem/", HTTP_HOST=A, follow=True)
    connection.set_schema_to_public()
    shown = [str(m) for m in page.context["messages"]]
    client.logout()
    token = api_login(client, A, member.user.mobile)
    offers = api("get", A, "/api/v1/mall/rewards/", token).json()
    assert offers[0]["redeemable"] is False and offers[0]["refusal"] == shown[0]
    refused = api("post", A, f"/api/v1/mall/rewards/{reward.pk}/redeem/", token)
    assert refused.status_code == 400
    assert refused.json() == {"code": "redeem_points_insufficient", "message": shown[0],
                              "fields": {}}
    assert "积分不足" in shown[0]
    with schema_context("alpha"):  # neither touched the ledger, the stock or the redemptions
        assert LedgerEntry.objects.count() == entries and balance_of(member=member) == 10
        assert Reward.objects.get(pk=reward.pk).stock == 3 and not Redemption.objects.exists()


def test_redeem_and_my_redemptions(client, api, org_a):
    member, other = org_a.members[2], org_a.members[3]
    with schema_context("alpha"):
        _eligible(member, points=100)
        _eligible(other, points=100)
        reward = Reward.objects.create(name="笔记本", cost=30, stock=3)
    token = api_login(client, A, member.user.mobile)
    done = api("post", A, f"/api/v1/mall/rewards/{reward.pk}/redeem/", token)
    assert done.status_code == 201 and done.json()["reward"] == "笔记本"
    assert api("get", A, "/api/v1/points/balance/", token).json()["balance"] == 70
    other_token = api_login(client, A, other.user.mobile)
    assert api("get", A, "/api/v1/mall/redemptions/", other_token).json()["results"] == []
    mine = api("get", A, "/api/v1/mall/redemptions/", token).json()["results"]
    assert [r["id"] for r in mine] == [done.json()["id"]]


def test_checkin_through_the_api_counts_on_the_pages_rate_limit(client, api, org_a, settings):
    settings.RATELIMIT_RATES = {**settings.RATELIMIT_RATES, "checkin-user": "2/10m"}
    member = org_a.members[2]
    login(client, A, member.user.username)
    client.post("/life/checkin/nonsense/", HTTP_HOST=A)  # one on the page
    connection.set_schema_to_public()
    client.logout()
    token = api_login(client, A, member.user.mobile)
    first = api("post", A, "/api/v1/meetings/checkin/", token, {"code": "nonsense"})
    assert first.status_code == 400 and first.json()["code"] == "checkin_code_invalid"
    third = api("post", A, "/api/v1/meetings/checkin/", token, {"code": "nonsense"})
    assert third.status_code == 429 and third.json()["code"] == "throttled"
