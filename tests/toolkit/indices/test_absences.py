"""缺席未请假 from the meeting's roll: after the meeting, whoever neither signed in nor had leave
approved gets the company's coded item in the meeting's quarter, once a meeting; a late
sign-in takes it back; a company without the item, or another company, gets nothing."""

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.indices.models import IndexItem, ItemCode, ItemRecord, Quarter
from toolkit.life.models import LeaveRequest, LeaveStatus, Meeting, MeetingKind
from toolkit.life.services import CheckinRefused, attendance_record, meeting_absences_record
from toolkit.periods import quarter_start


def _meeting(org, *, ended: bool = True) -> Meeting:
    """Branch 1's meeting (members 0, 2, 4): 0 signed in, 2 on approved leave, 4 asked for
    leave and was refused."""
    start = timezone.now() - datetime.timedelta(hours=2 if ended else 0, minutes=1)
    meeting = Meeting.objects.create(unit=org.branches[0], kind=MeetingKind.COMMITTEE,
                                     title="支委会", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=1),
                                     created_by=org.admin)
    m = org.members
    attendance_record(meeting=meeting, member=m[0], by=org.admin)
    LeaveRequest.objects.create(meeting=meeting, member=m[2], reason="出差",
                                status=LeaveStatus.APPROVED)
    LeaveRequest.objects.create(meeting=meeting, member=m[4], reason="有事",
                                status=LeaveStatus.REJECTED)
    return meeting


def _item() -> IndexItem:
    return IndexItem.objects.create(name="无故缺席组织生活", kind="negative", points=D(3),
                                    code=ItemCode.ABSENT_WITHOUT_LEAVE)


def test_the_absent_without_leave_get_the_item_once_a_meeting(org_a, org_b):
    m = org_a.members
    with schema_context("alpha"):
        item = _item()
        meeting = _meeting(org_a)
        assert meeting_absences_record(meeting=meeting, by=org_a.admin).absent == [m[4]]
        assert meeting_absences_record(meeting=meeting, by=org_a.admin).absent == [m[4]]  # again
        record = ItemRecord.objects.get()
        assert (record.member, record.item, record.meeting, record.quarter) == (
            m[4], item, meeting, quarter_start(timezone.localdate(meeting.starts_at)))
        # A late sign-in, then the roll closed again: the item is taken back.
        attendance_record(meeting=meeting, member=m[4], by=org_a.admin)
        assert meeting_absences_record(meeting=meeting, by=org_a.admin).absent == []
        assert not ItemRecord.objects.exists()
    with schema_context("beta"):
        # No such item configured: absences give nothing; nor is alpha's item or record here.
        meeting = _meeting(org_b)
        roll = meeting_absences_record(meeting=meeting, by=org_b.admin)
        assert roll.absent == [org_b.members[4]] and not roll.recorded
        assert not ItemRecord.objects.exists() and not IndexItem.objects.exists()


def test_absences_wait_for_the_end_and_leave_a_computed_quarter_alone(org_a):
    with schema_context("alpha"):
        _item()
        running = _meeting(org_a, ended=False)
        with pytest.raises(CheckinRefused) as refused:
            meeting_absences_record(meeting=running, by=org_a.admin)
        assert refused.value.code == "meeting_not_over"
        meeting = _meeting(org_a)
        start = quarter_start(timezone.localdate(meeting.starts_at))
        Quarter.objects.create(start=start, formula={}, self_deadline=start,
                               review_deadline=start, confirm_deadline=start)
        roll = meeting_absences_record(meeting=meeting, by=org_a.admin)
        assert not roll.recorded and "已经计算" in roll.skipped[0]
        assert not ItemRecord.objects.exists()


def test_the_secretary_records_absences_from_the_meeting_page(org_a):
    with schema_context("alpha"):
        _item()
        meeting = _meeting(org_a)
    client = Client()
    login(client, "alpha.localhost", org_a.members[0].user.mobile)  # branch 1's secretary
    page = client.get(f"/life/{meeting.pk}/", HTTP_HOST="alpha.localhost").content.decode()
    assert 'id="absences-record"' in page
    response = client.post(f"/life/{meeting.pk}/absences/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 302
    with schema_context("alpha"):
        assert list(ItemRecord.objects.values_list("member_id", flat=True)) == [
            org_a.members[4].pk]


def test_leave_approved_for_another_meeting_does_not_excuse_this_one(org_a):
    """Member 4's leave for this meeting was refused, member 2's is pending; both had leave
    approved for another meeting: both are absent from this one."""
    m = org_a.members
    with schema_context("alpha"):
        item = _item()
        meeting = _meeting(org_a)
        LeaveRequest.objects.filter(meeting=meeting, member=m[2]).update(
            status=LeaveStatus.PENDING)
        other = Meeting.objects.create(unit=org_a.branches[0], kind=MeetingKind.COMMITTEE,
                                       title="另一次支委会", starts_at=meeting.starts_at,
                                       ends_at=meeting.ends_at, created_by=org_a.admin)
        for member in (m[2], m[4]):
            LeaveRequest.objects.create(meeting=other, member=member, reason="出差",
                                        status=LeaveStatus.APPROVED)
        roll = meeting_absences_record(meeting=meeting, by=org_a.admin)
        assert sorted(a.pk for a in roll.absent) == sorted([m[2].pk, m[4].pk])
        assert roll.recorded and roll.outcomes[0].records == 2
        assert set(ItemRecord.objects.filter(item=item).values_list("member_id", flat=True)) == {
            m[2].pk, m[4].pk}
        # And on the other meeting, where their leave was approved, they are not absent.
        assert m[2] not in meeting_absences_record(meeting=other, by=org_a.admin).absent


def _close_roll(client, org, meeting) -> str:
    client.post(f"/life/{meeting.pk}/absences/", HTTP_HOST="alpha.localhost")
    return client.get(f"/life/{meeting.pk}/", HTTP_HOST="alpha.localhost").content.decode()


def test_the_secretary_is_told_when_nothing_was_recorded_and_why(org_a):
    with schema_context("alpha"):
        meeting = _meeting(org_a)
    client = Client()
    login(client, "alpha.localhost", org_a.members[0].user.mobile)  # branch 1's secretary
    # No item with the code: the absentee is named in the count, nothing is recorded.
    page = _close_roll(client, org_a, meeting)
    assert "已登记缺席未请假" not in page
    assert "缺席未请假 1 人，未登记" in page and "没有启用“缺席未请假”自动登记的减分项" in page
    # The item, but the meeting's quarter already computed.
    with schema_context("alpha"):
        _item()
        start = quarter_start(timezone.localdate(meeting.starts_at))
        Quarter.objects.create(start=start, formula={}, self_deadline=start,
                               review_deadline=start, confirm_deadline=start)
    page = _close_roll(client, org_a, meeting)
    assert "已登记缺席未请假" not in page
    assert "缺席未请假 1 人，未登记" in page and "该会议所在季度的先锋指数已经计算" in page
    with schema_context("alpha"):
        assert not ItemRecord.objects.exists()
        Quarter.objects.all().delete()
    page = _close_roll(client, org_a, meeting)
    assert "已登记缺席未请假 1 人" in page and "未登记" not in page


def test_another_companys_meeting_id_is_not_found(org_a, org_b):
    """Beta's secretary posts alpha's meeting id: 404, and alpha's roll is untouched; beta's
    own meeting (each schema numbers its meetings from 1: alpha's is the second) works."""
    with schema_context("alpha"):
        _item()
        _meeting(org_a)
        meeting = _meeting(org_a)
    with schema_context("beta"):
        _item()
        own = _meeting(org_b)
        assert own.pk != meeting.pk and not Meeting.objects.filter(pk=meeting.pk).exists()
    client = Client()
    login(client, "beta.localhost", org_b.members[0].user.mobile)  # beta's branch 1 secretary
    response = client.post(f"/life/{meeting.pk}/absences/", HTTP_HOST="beta.localhost")
    assert response.status_code == 404
    with schema_context("alpha"):
        assert not ItemRecord.objects.exists()
    response = client.post(f"/life/{own.pk}/absences/", HTTP_HOST="beta.localhost")
    assert response.status_code == 302
    with schema_context("beta"):
        assert list(ItemRecord.objects.values_list("member_id", flat=True)) == [
            org_b.members[4].pk]
