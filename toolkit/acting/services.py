"""今天我来当书记: applications, the committee office's decisions and assignments, and the duty
log (each entry scores through the points hub, rule `acting_duty`, category contribution)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Refused
from toolkit.acting.models import ActingApplication, ApplicationStatus, DutyKind, DutyLogEntry
from toolkit.acting.selectors import ACTING_KINDS
from toolkit.org.models import ActingSecretary, Member, OrgUnit
from toolkit.org.selectors import committee_office, descendants_of
from toolkit.periods import month_start
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award


class ActingRefused(Refused):
    """Why an application, appointment or log entry is refused; shown to the user."""


def _month_check(month: datetime.date, at: datetime.datetime | None) -> datetime.date:
    month = month_start(month)
    if month < month_start(timezone.localdate(at or timezone.now())):
        raise ActingRefused(_("不能选择已经过去的月份。"), code="acting_month_past")
    return month


def _unit_check(*, unit: OrgUnit, member: Member) -> None:
    """A member acts for the committee or for the branch they belong to (with its 党小组)."""
    if unit.kind not in ACTING_KINDS:
        raise ActingRefused(_("只能代理党委或支部书记。"), code="acting_unit_not_allowed")
    if unit.parent_id is not None and member.unit_id not in descendants_of(unit=unit):
        raise ActingRefused(_("只能代理本人所在支部的书记。"), code="acting_unit_not_yours")


def _taken(*, unit: OrgUnit, month: datetime.date) -> bool:
    return ActingSecretary.objects.filter(unit=unit, month=month).exists()


@transaction.atomic
def acting_apply(*, member: Member, unit: OrgUnit, month: datetime.date, note: str = "",
                 at: datetime.datetime | None = None) -> ActingApplication:
    month = _month_check(month, at)
    _unit_check(unit=unit, member=member)
    if _taken(unit=unit, month=month):
        raise ActingRefused(_("该月已有代理书记。"), code="acting_month_taken")
    if ActingApplication.objects.filter(member=member, unit=unit, month=month,
                                        status=ApplicationStatus.PENDING).exists():
        raise ActingRefused(_("你已申请过该月，请等待审批。"), code="acting_already_applied")
    return ActingApplication.objects.create(member=member, unit=unit, month=month,
                                            note=note.strip()[:300])


@transaction.atomic
def acting_appoint(*, unit: OrgUnit, member: Member, month: datetime.date, by,
                   at: datetime.datetime | None = None) -> ActingSecretary:
    """The committee office assigns (or, approving an application, appoints) the month's
    acting secretary. One per unit per month, one unit per member a month: the database's
    constraints decide a race."""
    if not committee_office(user=by):
        raise Forbidden()
    month = _month_check(month, at)
    _unit_check(unit=unit, member=member)
    if _taken(unit=unit, month=month):
        raise ActingRefused(_("该月已有代理书记。"), code="acting_month_taken")
    if ActingSecretary.objects.filter(member=member, month=month).exists():
        raise ActingRefused(_("该党员当月已代理其他组织的书记。"), code="acting_member_busy")
    try:
        with transaction.atomic():
            appointment = ActingSecretary.objects.create(unit=unit, member=member, month=month,
                                                         appointed_by=by)
    except IntegrityError as error:  # the same month given twice at once
        raise ActingRefused(_("该月已有代理书记。"), code="acting_month_taken") from error
    # Other applications for that unit and month are answered with it.
    ActingApplication.objects.filter(unit=unit, month=month,
                                     status=ApplicationStatus.PENDING).exclude(
        member=member).update(status=ApplicationStatus.REJECTED, decided_by=by,
                              decided_at=timezone.now(), reason=_("该月已安排其他党员。"))
    return appointment


@transaction.atomic
def acting_decide(*, application: ActingApplication, by, approve: bool, reason: str = "",
                  at: datetime.datetime | None = None) -> ActingApplication:
    if not committee_office(user=by):
        raise Forbidden()
    application = ActingApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ActingRefused(_("该申请已处理。"), code="acting_application_decided")
    if approve:
        acting_appoint(unit=application.unit, member=application.member,
                       month=application.month, by=by, at=at)
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_by, application.decided_at = by, timezone.now()
    application.reason = reason.strip()[:200]
    application.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return application


@transaction.atomic
def duty_log_add(*, member: Member, kind: str, text: str,
                 at: datetime.datetime | None = None) -> DutyLogEntry:
    """The acting secretary records the month's work; each entry earns points by rule."""
    at = at or timezone.now()
    month = month_start(timezone.localdate(at))
    appointment = ActingSecretary.objects.filter(member=member, month=month).first()
    if appointment is None:
        raise ActingRefused(_("你本月不是代理书记。"), code="acting_not_on_duty")
    if kind not in DutyKind.values:
        raise ActingRefused(_("请选择类型。"), code="acting_log_invalid",
                            fields={"kind": [_("请选择类型。")]})
    text = text.strip()[:500]
    if not text:
        raise ActingRefused(_("请填写内容。"), code="acting_log_invalid",
                            fields={"text": [_("请填写内容。")]})
    entry = DutyLogEntry.objects.create(appointment=appointment, kind=kind, text=text,
                                        created_at=at)
    awarded = points_award(member=member, rule=RuleCode.ACTING_DUTY, source=entry, at=at,
                           note=text[:60])
    if awarded is not None:
        entry.points = awarded.amount
        entry.save(update_fields=["points"])
    return entry
