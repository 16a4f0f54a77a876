"""The admin's rules page: bounded values, no new rows; and a refused award is a message."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena import services as arena
from toolkit.arena.models import Claim, ClaimStatus
from toolkit.life import services as life
from toolkit.life.models import Attendance, DuesPayment, MeetingKind
from toolkit.periods import add_months
from toolkit.points.models import PointRule, RuleCode
from toolkit.points.services import PointsRefused

HOST = "alpha.localhost"


def _rules_post(rules, **changes) -> dict:
    data = {"form-TOTAL_FORMS": len(rules), "form-INITIAL_FORMS": len(rules),
            "form-MIN_NUM_FORMS": 0, "form-MAX_NUM_FORMS": 1000}
    for index, rule in enumerate(rules):
        data.update({f"form-{index}-id": rule.pk, f"form-{index}-points": rule.points,
                     f"form-{index}-daily_cap": rule.daily_cap or "",
                     f"form-{index}-monthly_cap": rule.monthly_cap or "",
                     f"form-{index}-active": "on", f"form-{index}-category": rule.category})
    data.update(changes)
    return data


def _rules():
    with schema_context("alpha"):
        return list(PointRule.objects.order_by("id"))


def test_rule_values_out_of_bounds_are_refused_on_the_page(client, org_a):
    rules = _rules()
    login(client, HOST, "admin")
    for field, value in (("points", "-999999999"), ("points", "1001"),
                         ("daily_cap", "99999999999"), ("monthly_cap", "-1")):
        response = client.post("/points/rules/", _rules_post(rules, **{f"form-0-{field}": value}),
                               HTTP_HOST=HOST)
        assert response.status_code == 200, (field, value)  # the form again, with the error
        assert response.context["formset"].forms[0].errors, (field, value)
    assert _rules() == rules and [r.points for r in _rules()] == [r.points for r in rules]


def test_a_posted_extra_row_creates_no_rule(client, org_a):
    rules = _rules()
    login(client, HOST, "admin")
    n = len(rules)
    extra = _rules_post(rules, **{"form-TOTAL_FORMS": n + 1, f"form-{n}-points": "5",
                                  f"form-{n}-active": "on"})
    response = client.post("/points/rules/", extra, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "积分规则是固定的，不能新增。" in response.content.decode()
    with schema_context("alpha"):
        assert PointRule.objects.count() == n and not PointRule.objects.filter(code="").exists()
    # The rows that exist save as before.
    edit = _rules_post(rules, **{"form-0-points": "3"})
    assert client.post("/points/rules/", edit, HTTP_HOST=HOST).status_code == 302
    with schema_context("alpha"):
        assert PointRule.objects.count() == n
        assert PointRule.objects.get(pk=rules[0].pk).points == 3


def _negative_rules():
    # A rule saved before the bounds existed (or by hand in the database).
    with schema_context("alpha"):
        PointRule.objects.filter(code__in=[RuleCode.MEETING_ATTENDANCE, RuleCode.DUES_ON_TIME]
                                 ).update(points=-999999999)


def test_a_refused_attendance_award_is_a_message_and_records_nothing(client, org_a):
    secretary, member = org_a.members[0], org_a.members[2]
    now = timezone.now()
    with schema_context("alpha"):
        meeting = life.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.LESSON, title="党课",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=1), by=secretary.user)
    _negative_rules()
    connection.set_schema_to_public()
    login(client, HOST, secretary.user.username)
    response = client.post(f"/life/{meeting.pk}/attend/{member.pk}/", HTTP_HOST=HOST,
                           follow=True)
    assert response.status_code == 200
    assert "积分不足" in response.content.decode()
    with schema_context("alpha"):
        assert not Attendance.objects.exists()


def test_a_refused_award_makes_a_qr_check_in_a_refusal_with_the_reason(org_a):
    member, now = org_a.members[2], timezone.now()
    with schema_context("alpha"):
        meeting = life.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.LESSON, title="党课",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=1), by=org_a.members[0].user)
    _negative_rules()
    with schema_context("alpha"):
        with pytest.raises(life.CheckinRefused, match="积分不足"):
            life.attendance_checkin(code=life.checkin_code(meeting), member=member)
        assert not Attendance.objects.exists()


def test_a_refused_dues_award_is_a_message(client, org_a):
    member = org_a.members[2]
    _negative_rules()
    login(client, HOST, "admin")
    month = add_months(timezone.localdate().replace(day=1), 1)  # paid early: on time, scores
    response = client.post("/life/dues/manage/", {"member": member.pk,
                                                  "month": f"{month:%Y-%m}"}, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "积分不足" in response.content.decode()
    with schema_context("alpha"):
        assert not DuesPayment.objects.exists()


def test_a_refused_task_award_is_a_message(client, org_a, monkeypatch):
    secretary, member = org_a.members[0], org_a.members[2]
    with schema_context("alpha"):
        task = arena.task_publish(publisher=org_a.branches[0], title="档案", description="",
                                  points=20, places=1, by=secretary.user,
                                  deadline=timezone.now() + datetime.timedelta(days=2))
        claim = arena.task_claim(task=task, member=member)
        arena.claim_submit(claim=claim, member=member, text="完成", files=[])
    connection.set_schema_to_public()

    def refuse(**kwargs):
        raise PointsRefused("积分不足：测试")

    monkeypatch.setattr(arena, "points_award", refuse)
    login(client, HOST, secretary.user.username)
    response = client.post(f"/arena/claims/{claim.pk}/review/", {"decision": "accept"},
                           HTTP_HOST=HOST, follow=True)
    assert response.status_code == 200 and "积分不足：测试" in response.content.decode()
    with schema_context("alpha"):
        assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.SUBMITTED
