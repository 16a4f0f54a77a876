"""Organisational life: meetings, QR self check-in, leave requests, minutes, party dues."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Refused
from tenants.tokens import TokenExpired, TokenInvalid, schema_token, schema_token_value
from toolkit.life.models import (
    Attendance,
    AttendanceMethod,
    DuesPayment,
    DuesProfile,
    LeaveRequest,
    LeaveStatus,
    Meeting,
)
from toolkit.life.selectors import (
    absentees,
    attendance_recordable_by,
    due_date,
    leave_decidable_by,
    meeting_managed_by,
    monthly_dues,
    settings_row,
)
from toolkit.life.signals import AbsencesOutcome, AbsencesRoll, absences_recorded
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import descendants_of, unit_managed_by
from toolkit.periods import month_start
from toolkit.points.models import RuleCode
from toolkit.points.services import PointsRefused, points_award

_SALT = "life.checkin"
# Check-in opens this long before the start and closes at the end.
EARLY_CHECKIN = datetime.timedelta(minutes=30)


class CheckinRefused(Refused):
    """Why a scan or a request was refused; shown on the member's phone."""


@transaction.atomic
def meeting_create(*, unit: OrgUnit, kind: str, title: str, starts_at, ends_at,
                   location: str = "", agenda: str = "", by) -> Meeting:
    if not unit_managed_by(user=by, unit_id=unit.pk):
        raise Forbidden
    if ends_at <= starts_at:
        raise CheckinRefused(_("结束时间必须晚于开始时间。"), code="meeting_ends_before_start")
    return Meeting.objects.create(unit=unit, kind=kind, title=title.strip(), starts_at=starts_at,
                                  ends_at=ends_at, location=location, agenda=agenda,
                                  created_by=by)


@transaction.atomic
def meeting_minutes_save(*, meeting: Meeting, minutes: str, by) -> Meeting:
    if not meeting_managed_by(user=by, meeting=meeting):
        raise Forbidden
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def life_settings_save(*, rules, dues_settings) -> None:
    """Saves validated frequency and dues-settings forms together (all or nothing)."""
    rules.save()
    dues_settings.save()


def checkin_code(meeting: Meeting) -> str:
    """What the QR code on the secretary's screen carries; it expires (CHECKIN_CODE_MAX_AGE),
    and the page shows a fresh one before then. Bound to this company's schema."""
    return schema_token(meeting.pk, salt=_SALT)


def checkin_meeting(*, code: str) -> Meeting:
    """The meeting a scanned code is for; CheckinRefused when it is expired or not this
    company's. Reads only: opening the link must not check anyone in."""
    try:
        pk = schema_token_value(code, salt=_SALT, max_age=settings.CHECKIN_CODE_MAX_AGE)
    except TokenExpired as error:
        raise CheckinRefused(_("二维码已过期，请扫描屏幕上最新的二维码。"),
                             code="checkin_expired") from error
    except TokenInvalid as error:
        raise CheckinRefused(_("无效的签到码。"), code="checkin_code_invalid") from error
    meeting = Meeting.objects.select_related("unit").filter(pk=pk).first()
    if meeting is None:
        raise CheckinRefused(_("无效的签到码。"), code="checkin_code_invalid")
    return meeting


def attendance_checkin(*, code: str, member: Member, now=None) -> Attendance:
    meeting = checkin_meeting(code=code)
    return _attend(meeting=meeting, member=member, method=AttendanceMethod.QR, now=now,
                  at=now)


def attendance_record(*, meeting: Meeting, member: Member, by, at=None) -> Attendance:
    """The secretary records someone present by hand (a phone left at home), at any time
    after the meeting too. `at` dates the record and its points (default now; the demo seeds
    the past with it)."""
    if not attendance_recordable_by(user=by, meeting=meeting):
        raise Forbidden
    return _attend(meeting=meeting, member=member, method=AttendanceMethod.MANUAL,
                   now=meeting.starts_at, at=at)


@transaction.atomic
def _attend(*, meeting: Meeting, member: Member, method: str, now=None, at=None) -> Attendance:
    """`now` is checked against the check-in window; `at` dates the record and its points."""
    now = now or timezone.now()
    at = at or timezone.now()
    if member.unit_id not in descendants_of(unit=meeting.unit):
        raise CheckinRefused(_("你不属于“%(unit)s”，不能参加这次会议签到。") % {
            "unit": meeting.unit.name}, code="not_in_meeting_unit")
    if not meeting.starts_at - EARLY_CHECKIN <= now <= meeting.ends_at:
        raise CheckinRefused(_("不在签到时间内（会前 30 分钟至会议结束）。"),
                             code="outside_checkin_window")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, member=member, method=method,
                                                   checked_in_at=at)
    except IntegrityError as error:
        raise CheckinRefused(_("你已经签到过了。"), code="already_checked_in") from error
    try:
        points_award(member=member, rule=RuleCode.MEETING_ATTENDANCE, source=attendance,
                     note=meeting.title, at=at)
    except PointsRefused as refusal:  # the whole check-in is refused, with the reason
        raise CheckinRefused(str(refusal), code=refusal.code) from refusal
    return attendance


@transaction.atomic
def meeting_absences_record(*, meeting: Meeting, by, now=None) -> AbsencesRoll:
    """After the meeting, the secretary closes its roll: whoever was expected and neither
    signed in nor had leave approved is absent without leave (announced, for the indices,
    whose answers come back in the roll). Run again after a late sign-in, it announces the
    roll as it now is."""
    if not attendance_recordable_by(user=by, meeting=meeting):
        raise Forbidden
    if meeting.ends_at > (now or timezone.now()):
        raise CheckinRefused(_("会议结束后才能登记缺席。"), code="meeting_not_over")
    absent = list(absentees(meeting=meeting))
    answers = absences_recorded.send(sender=Meeting, meeting=meeting, absent=absent, by=by)
    return AbsencesRoll(absent=absent, outcomes=[
        outcome for _receiver, outcome in answers if isinstance(outcome, AbsencesOutcome)])


@transaction.atomic
def leave_request(*, meeting: Meeting, member: Member, reason: str) -> LeaveRequest:
    if member.unit_id not in descendants_of(unit=meeting.unit):
        raise CheckinRefused(_("你不属于“%(unit)s”。") % {"unit": meeting.unit.name},
                             code="not_in_meeting_unit")
    if meeting.ends_at <= timezone.now():
        raise CheckinRefused(_("会议已经结束。"), code="meeting_over")
    if not reason.strip():
        raise CheckinRefused(_("请写明请假理由。"), code="leave_reason_missing")
    request, created = LeaveRequest.objects.get_or_create(
        meeting=meeting, member=member, defaults={"reason": reason.strip()})
    if not created:
        raise CheckinRefused(_("已经提交过请假。"), code="leave_already_requested")
    return request


@transaction.atomic
def leave_decide(*, leave: LeaveRequest, by, approve: bool) -> LeaveRequest:
    leave = LeaveRequest.objects.select_for_update().select_related(
        "meeting", "member").get(pk=leave.pk)
    if not leave_decidable_by(user=by, leave=leave):
        raise Forbidden
    if leave.member.user_id == by.pk:
        raise CheckinRefused(_("不能批准自己的请假。"), code="own_leave_decision")
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
    leave.decided_by, leave.decided_at = by, timezone.now()
    leave.save()
    return leave


class DuesRefused(Refused):
    pass


@transaction.atomic
def dues_profile_save(*, member: Member, category: str, monthly_wage: Decimal | None
                      ) -> DuesProfile:
    if monthly_wage is not None and monthly_wage < 0:
        raise DuesRefused(_("工资不能为负数。"), code="salary_negative")
    profile, _created = DuesProfile.objects.update_or_create(
        member=member, defaults={"category": category, "monthly_wage": monthly_wage})
    return profile


@transaction.atomic
def dues_payment_record(*, member: Member, month: datetime.date, by,
                        paid_at: datetime.datetime | None = None) -> DuesPayment:
    """Records a month's dues at the member's computed amount; on time scores points."""
    month = month_start(month)
    paid_at = paid_at or timezone.now()
    # The member's row is locked first: a double submit waits here, then finds the payment.
    Member.objects.select_for_update().get(pk=member.pk)
    dues_settings = settings_row()
    amount = monthly_dues(profile=DuesProfile.objects.filter(member=member).first(),
                          dues_settings=dues_settings)
    if DuesPayment.objects.filter(member=member, month=month).exists():
        raise DuesRefused(_("%(month)s 的党费已经登记过了。") % {"month": f"{month:%Y-%m}"},
                          code="dues_already_recorded")
    on_time = timezone.localdate(paid_at) <= due_date(month=month, dues_settings=dues_settings)
    payment = DuesPayment.objects.create(member=member, month=month, amount=amount,
                                         paid_at=paid_at, on_time=on_time, recorded_by=by)
    if on_time:
        try:
            points_award(member=member, rule=RuleCode.DUES_ON_TIME, source=payment,
                         note=f"{month:%Y-%m}")
        except PointsRefused as refusal:
            raise DuesRefused(str(refusal), code=refusal.code) from refusal
    return payment
