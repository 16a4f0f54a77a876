"""The secretary's meeting page confirms what was done and keeps approved leave in view."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.life import services
from toolkit.life.models import Attendance, LeaveStatus, MeetingKind

HOST = "alpha.localhost"


@pytest.fixture
def meeting(org_a):
    now = timezone.now()
    with schema_context("alpha"):
        return services.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2), by=org_a.members[0].user)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_approving_leave_is_confirmed_and_the_leave_stays_on_the_page(client, org_a, meeting):
    secretary, member = org_a.members[0], org_a.members[2]
    with schema_context("alpha"):
        leave = services.leave_request(meeting=meeting, member=member, reason="出差在外地")
    connection.set_schema_to_public()
    login(client, HOST, secretary.user.username)
    page = client.post(f"/life/leave/{leave.pk}/decide/", {"decision": "approve"},
                       HTTP_HOST=HOST, follow=True)
    name = member.user.get_full_name()
    assert _messages(page) == [f"已批准{name}的请假。"]
    body = page.content.decode()
    section = body[body.index('id="approved-leaves"'):]
    assert name in section and "出差在外地" in section
    assert f"{secretary.user.get_full_name()} 批准" in section
    with schema_context("alpha"):
        leave.refresh_from_db()
        assert leave.status == LeaveStatus.APPROVED


def test_deciding_ones_own_leave_is_a_message_not_a_500(client, org_a, meeting):
    secretary = org_a.members[0]
    with schema_context("alpha"):
        own = services.leave_request(meeting=meeting, member=secretary, reason="开会")
    connection.set_schema_to_public()
    login(client, HOST, secretary.user.username)
    page = client.post(f"/life/leave/{own.pk}/decide/", {"decision": "approve"},
                       HTTP_HOST=HOST, follow=True)
    assert page.status_code == 200 and _messages(page) == ["不能批准自己的请假。"]


def test_recording_attendance_is_confirmed(client, org_a, meeting):
    secretary, member = org_a.members[0], org_a.members[2]
    login(client, HOST, secretary.user.username)
    page = client.post(f"/life/{meeting.pk}/attend/{member.pk}/", HTTP_HOST=HOST, follow=True)
    assert _messages(page) == [f"已登记{member.user.get_full_name()}出席。"]
    with schema_context("alpha"):
        assert Attendance.objects.filter(meeting=meeting, member=member).exists()
