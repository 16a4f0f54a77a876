"""Organisational life's writes over the API: leave, scheduling, attendance, minutes, with the
pages' forms, services and access rules; another branch's meeting is refused, a plain member
is no manager, and A's token is nothing on B."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from toolkit.life import services as life
from toolkit.life.models import Attendance, LeaveRequest, LeaveStatus, Meeting, MeetingKind

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _meeting(org, branch: int):
    now = timezone.now()
    with schema_context(org.schema):
        return life.meeting_create(
            unit=org.branches[branch], kind=MeetingKind.THEME_DAY, title=f"支部{branch}主题党日",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2), by=org.members[branch].user)


def _twins(org_a, org_b, branch: int = 0):
    """A meeting on A and one on B with the same id."""
    mine, on_b = _meeting(org_a, branch), _meeting(org_b, branch)
    while on_b.pk < mine.pk:
        on_b = _meeting(org_b, branch)
    while mine.pk < on_b.pk:
        mine = _meeting(org_a, branch)
    assert mine.pk == on_b.pk
    return mine, on_b


def test_leave_is_asked_listed_and_decided_by_whoever_runs_the_meeting(client, api, org_a,
                                                                        org_b):
    meeting, _on_b = _twins(org_a, org_b)
    other = _meeting(org_a, 1)
    member, secretary, other_secretary = org_a.members[2], org_a.members[0], org_a.members[1]
    token = api_login(client, A, member.user.mobile)
    path = f"/api/v1/meetings/{meeting.pk}/leave/"
    assert api("post", B, path, token, {"reason": "出差"}).status_code == 401
    missing = api("post", A, path, token, {"reason": ""})
    assert missing.status_code == 400 and missing.json()["code"] == "leave_reason_missing"
    asked = api("post", A, path, token, {"reason": "出差"})
    assert asked.status_code == 201 and asked.json()["status"] == LeaveStatus.PENDING
    again = api("post", A, path, token, {"reason": "出差"})
    assert again.status_code == 400 and again.json()["code"] == "leave_already_requested"
    foreign = api("post", A, f"/api/v1/meetings/{other.pk}/leave/", token, {"reason": "出差"})
    assert foreign.status_code == 403
    # Listing and deciding: a plain member is no manager; the other branch's secretary does
    # not run this meeting; its own secretary does.
    assert api("get", A, path, token).status_code == 403
    leave_id = asked.json()["id"]
    decide = f"/api/v1/leave/{leave_id}/decide/"
    assert api("post", A, decide, token, {"decision": "approve"}).status_code == 403
    other_token = api_login(client, A, other_secretary.user.mobile)
    assert api("get", A, path, other_token).status_code == 403
    refused = api("post", A, decide, other_token, {"decision": "approve"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    sec_token = api_login(client, A, secretary.user.mobile)
    listed = api("get", A, path, sec_token).json()
    assert [(r["id"], r["member"]["id"]) for r in listed] == [(leave_id, member.pk)]
    bad = api("post", A, decide, sec_token, {"decision": "maybe"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"decision"}
    done = api("post", A, decide, sec_token, {"decision": "reject"})
    assert done.status_code == 200 and done.json()["status"] == LeaveStatus.REJECTED
    assert api("post", B, decide, sec_token, {"decision": "approve"}).status_code == 401
    with schema_context("alpha"):
        assert LeaveRequest.objects.get(pk=leave_id).status == LeaveStatus.REJECTED
    with schema_context("beta"):
        assert not LeaveRequest.objects.exists()


def test_a_secretary_schedules_for_the_units_they_run(client, api, org_a, org_b):
    secretary = org_a.members[0]
    token = api_login(client, A, secretary.user.mobile)
    start = timezone.now() + datetime.timedelta(days=2)
    body = {"unit": org_a.branches[0].pk, "kind": MeetingKind.THEME_DAY, "title": "学习会",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=1)).isoformat(), "location": "会议室"}
    made = api("post", A, "/api/v1/meetings/", token, body)
    assert made.status_code == 201 and made.json()["title"] == "学习会"
    with schema_context("alpha"):
        assert Meeting.objects.get(pk=made.json()["id"]).unit_id == org_a.branches[0].pk
    # Another branch is no choice of theirs (the page's form says so, on the field).
    foreign = api("post", A, "/api/v1/meetings/", token, {**body, "unit": org_a.branches[1].pk})
    assert foreign.status_code == 400 and set(foreign.json()["fields"]) == {"unit"}
    backwards = api("post", A, "/api/v1/meetings/", token,
                    {**body, "ends_at": (start - datetime.timedelta(hours=1)).isoformat()})
    assert backwards.status_code == 400
    assert backwards.json()["code"] == "meeting_ends_before_start"
    blank = api("post", A, "/api/v1/meetings/", token, {**body, "title": ""})
    assert blank.status_code == 400 and blank.json()["code"] == "invalid"
    assert set(blank.json()["fields"]) == {"title"}
    member_token = api_login(client, A, org_a.members[2].user.mobile)
    assert api("post", A, "/api/v1/meetings/", member_token, body).status_code == 403
    assert api("post", B, "/api/v1/meetings/", token, body).status_code == 401
    with schema_context("alpha"):
        assert Meeting.objects.count() == 1
    with schema_context("beta"):
        assert not Meeting.objects.exists()


def test_attendance_and_minutes_by_whoever_runs_the_meeting(client, api, org_a, org_b):
    meeting, on_b = _twins(org_a, org_b)
    member = org_a.members[2]
    attend = f"/api/v1/meetings/{meeting.pk}/attendance/"
    minutes = f"/api/v1/meetings/{meeting.pk}/minutes/"
    member_token = api_login(client, A, member.user.mobile)
    assert api("post", A, attend, member_token, {"member": member.pk}).status_code == 403
    assert api("put", A, minutes, member_token, {"minutes": "x"}).status_code == 403
    other_token = api_login(client, A, org_a.members[1].user.mobile)  # branch 1's secretary
    assert api("post", A, attend, other_token, {"member": member.pk}).status_code == 403
    assert api("put", A, minutes, other_token, {"minutes": "x"}).status_code == 403
    token = api_login(client, A, org_a.members[0].user.mobile)
    assert api("post", B, attend, token, {"member": member.pk}).status_code == 401
    assert api("put", B, minutes, token, {"minutes": "x"}).status_code == 401
    done = api("post", A, attend, token, {"member": member.pk})
    assert done.status_code == 201 and done.json()["member"]["id"] == member.pk
    again = api("post", A, attend, token, {"member": member.pk})
    assert again.status_code == 400 and again.json()["code"] == "already_checked_in"
    assert api("post", A, attend, token, {"member": 999999}).status_code == 404
    saved = api("put", A, minutes, token, {"minutes": "一、学习党章"})
    assert saved.status_code == 200
    with schema_context("alpha"):
        assert Meeting.objects.get(pk=meeting.pk).minutes == "一、学习党章"
        assert Attendance.objects.filter(meeting=meeting).count() == 1
    with schema_context("beta"):
        assert Meeting.objects.get(pk=on_b.pk).minutes == ""
        assert not Attendance.objects.exists()
