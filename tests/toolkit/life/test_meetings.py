import datetime
import time
from unittest import mock

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import login
from toolkit.life import selectors, services
from toolkit.life.models import Attendance, LeaveStatus, MeetingKind
from toolkit.life.selectors import Light
from toolkit.points.selectors import balance_of


@pytest.fixture
def meeting(org_a):
    now = timezone.now()
    with schema_context("alpha"):
        return services.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2), by=org_a.members[0].user)


def test_scanning_the_code_checks_in_once_and_scores(org_a, meeting):
    member = org_a.members[2]  # in 第1党支部
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
        services.attendance_checkin(code=code, member=member)
        assert Attendance.objects.filter(meeting=meeting, member=member).exists()
        assert balance_of(member=member) == 5
        with pytest.raises(services.CheckinRefused, match="已经签到过"):
            services.attendance_checkin(code=code, member=member)
        assert balance_of(member=member) == 5


def test_an_expired_code_is_refused(org_a, meeting, settings):
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
        later = time.time() + settings.CHECKIN_CODE_MAX_AGE + 1
        with mock.patch("django.core.signing.time.time", return_value=later), \
                pytest.raises(services.CheckinRefused, match="已过期"):
            services.attendance_checkin(code=code, member=org_a.members[2])


def test_someone_outside_the_branch_or_the_window_is_refused(org_a, meeting):
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
        with pytest.raises(services.CheckinRefused, match="不属于"):
            services.attendance_checkin(code=code, member=org_a.members[1])  # 第2党支部
        too_late = meeting.ends_at + datetime.timedelta(minutes=1)
        with pytest.raises(services.CheckinRefused, match="不在签到时间内"):
            services.attendance_checkin(code=code, member=org_a.members[2], now=too_late)
        assert not Attendance.objects.exists()


def test_a_code_from_another_company_is_refused(client, org_a, org_b, meeting):
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
    with schema_context("beta"):  # beta has a meeting with the same id, open right now
        from toolkit.life.models import Meeting

        Meeting.objects.create(pk=meeting.pk, unit=org_b.branches[0], kind=MeetingKind.THEME_DAY,
                               title="乙的会议", starts_at=meeting.starts_at,
                               ends_at=meeting.ends_at, created_by=org_b.admin)
    login(client, "beta.localhost", org_b.members[2].user.username)
    response = client.get(f"/life/checkin/{code}/", HTTP_HOST="beta.localhost")
    assert response.status_code == 400 and "无效的签到码" in response.content.decode()


def test_the_phone_scan_page_checks_the_member_in(client, org_a, meeting):
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
    login(client, "alpha.localhost", org_a.members[2].user.username)
    page = client.post(f"/life/checkin/{code}/", HTTP_HOST="alpha.localhost")
    assert page.status_code == 200 and "签到成功" in page.content.decode()
    with schema_context("alpha"):
        assert Attendance.objects.filter(meeting=meeting, member=org_a.members[2]).exists()


def test_the_secretary_sees_a_fresh_qr_code(client, org_a, meeting):
    login(client, "alpha.localhost", org_a.members[0].user.username)
    svg = client.get(f"/life/{meeting.pk}/qr.svg", HTTP_HOST="alpha.localhost")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_leave_requests_are_approved_by_the_secretary(org_a, meeting):
    with schema_context("alpha"):
        own = services.leave_request(meeting=meeting, member=org_a.members[0], reason="开会")
        with pytest.raises(services.CheckinRefused, match="不能批准自己"):
            services.leave_decide(leave=own, by=org_a.members[0].user, approve=True)
        leave = services.leave_request(meeting=meeting, member=org_a.members[2], reason="出差")
        with pytest.raises(Forbidden) as caught:
            services.leave_decide(leave=leave, by=org_a.members[4].user, approve=True)
        assert caught.value.code == "forbidden"
        leave = services.leave_decide(leave=leave, by=org_a.members[0].user, approve=True)
        assert leave.status == LeaveStatus.APPROVED


def test_compliance_is_green_when_held_amber_when_due_red_when_missed(org_a):
    today = datetime.date(2026, 11, 28)  # three days before November ends: due
    last_month = datetime.date(2026, 10, 1)
    with schema_context("alpha"):
        unit = org_a.branches[0]
        start = timezone.make_aware(datetime.datetime.combine(last_month, datetime.time(9)))
        services.meeting_create(unit=unit, kind=MeetingKind.COMMITTEE, title="支委会",
                                starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                                by=org_a.admin)
        rows = dict((rule.kind, cells) for rule, cells in selectors.compliance(
            unit=unit, months=3, today=today))
    committee = [cell.light for cell in rows[MeetingKind.COMMITTEE]]
    assert committee == [Light.RED, Light.GREEN, Light.AMBER]
    themed = [cell.light for cell in rows[MeetingKind.THEME_DAY]]
    assert themed == [Light.RED, Light.RED, Light.AMBER]


def test_frequencies_are_configurable(org_a):
    """A committee meeting held two months ago covers this month once the rule says
    'every 12 months', and does not under the default 'monthly'."""
    from toolkit.life.models import ComplianceRule

    today = datetime.date(2026, 11, 28)
    start = timezone.make_aware(datetime.datetime(2026, 9, 10, 9))
    with schema_context("alpha"):
        services.meeting_create(unit=org_a.branches[0], kind=MeetingKind.COMMITTEE, title="支委会",
                                starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                                by=org_a.admin)

        def november():
            rows = dict((rule.kind, cells) for rule, cells in selectors.compliance(
                unit=org_a.branches[0], months=1, today=today))
            return rows[MeetingKind.COMMITTEE][0].light

        assert november() == Light.AMBER
        ComplianceRule.objects.filter(kind=MeetingKind.COMMITTEE).update(every_months=12)
        assert november() == Light.GREEN


def test_a_planned_meeting_does_not_count_and_a_groups_meeting_does(org_a):
    from toolkit.org.models import OrgUnit, UnitKind

    with schema_context("alpha"):
        group = OrgUnit.objects.create(name="第一小组", kind=UnitKind.GROUP,
                                       parent=org_a.branches[0])
        soon = timezone.now() + datetime.timedelta(days=1)
        services.meeting_create(unit=org_a.branches[0], kind=MeetingKind.THEME_DAY,
                                title="下周的主题党日", starts_at=soon,
                                ends_at=soon + datetime.timedelta(hours=1), by=org_a.admin)
        past = timezone.now() - datetime.timedelta(minutes=2)
        services.meeting_create(unit=group, kind=MeetingKind.GROUP, title="小组会",
                                starts_at=past, ends_at=past + datetime.timedelta(minutes=1),
                                by=org_a.admin)
        today = timezone.localdate(past)  # the month the group met in, even at a month's turn
        rows = dict((rule.kind, cells) for rule, cells in selectors.compliance(
            unit=org_a.branches[0], months=1, today=today))
    assert rows[MeetingKind.THEME_DAY][0].light != Light.GREEN
    assert rows[MeetingKind.GROUP][0].light == Light.GREEN


def test_amber_only_near_the_end_of_the_period(org_a):
    with schema_context("alpha"):
        early = dict((r.kind, c) for r, c in selectors.compliance(
            unit=org_a.branches[0], months=1, today=datetime.date(2026, 11, 3)))
        late = dict((r.kind, c) for r, c in selectors.compliance(
            unit=org_a.branches[0], months=1, today=datetime.date(2026, 11, 27)))
    assert early[MeetingKind.COMMITTEE][0].light == Light.PENDING
    assert late[MeetingKind.COMMITTEE][0].light == Light.AMBER


def test_another_branchs_meeting_page_is_closed_to_a_member(client, org_a, meeting):
    login(client, "alpha.localhost", org_a.members[1].user.username)  # 第2党支部
    assert client.get(f"/life/{meeting.pk}/", HTTP_HOST="alpha.localhost").status_code == 403


def _held(org_a, unit, kind, day: datetime.date):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    services.meeting_create(unit=unit, kind=kind, title="会议", starts_at=starts,
                            ends_at=starts + datetime.timedelta(hours=1), by=org_a.admin)


def test_a_branch_with_nothing_due_yet_has_no_share_not_a_hundred_percent(org_a):
    with schema_context("alpha"):
        # 3 November: the monthly meetings end with the month, the quarterly ones in December.
        share = selectors.compliance_share(unit=org_a.branches[0],
                                           today=datetime.date(2026, 11, 3))
    assert share is None


def test_a_branch_s_share_counts_its_due_cells_only(org_a):
    with schema_context("alpha"):
        _held(org_a, org_a.branches[0], MeetingKind.COMMITTEE, datetime.date(2026, 11, 2))
        early = selectors.compliance_share(unit=org_a.branches[0],
                                           today=datetime.date(2026, 11, 3))
        # 27 November: the monthly committee, group and theme day are due; one of three held.
        late = selectors.compliance_share(unit=org_a.branches[0],
                                          today=datetime.date(2026, 11, 27))
        other = selectors.compliance_share(unit=org_a.branches[1],
                                           today=datetime.date(2026, 11, 27))
    assert early == 100  # the one due (held) cell is green
    assert late == 33
    assert other == 0
