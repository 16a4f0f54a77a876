"""Reads of 今天我来当书记: the schedule everyone sees, the office's queue, the duty logs."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from toolkit.acting.models import ActingApplication, ApplicationStatus, DutyLogEntry
from toolkit.org.models import ActingSecretary, Member, OrgUnit, UnitKind
from toolkit.periods import add_months, month_start

# The units that have an acting secretary: the committee (the top) and the branches.
ACTING_KINDS = (UnitKind.COMMITTEE, UnitKind.GENERAL_BRANCH, UnitKind.BRANCH)


def acting_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind__in=ACTING_KINDS).order_by("order", "id")


def units_open_to(*, member: Member) -> list[OrgUnit]:
    """The units a member may apply for: the committee at the top, and the branch (or general
    branch) above or at their own unit."""
    by_id = {u.pk: u for u in OrgUnit.objects.all()}
    found, current = [], by_id.get(member.unit_id)
    while current is not None:
        if current.kind in ACTING_KINDS:
            found.append(current)
        current = by_id.get(current.parent_id)
    return found


@dataclass
class ScheduleRow:
    month: datetime.date
    cells: list  # per unit of acting_units(): the ActingSecretary, or None


def schedule(*, first: datetime.date | None = None, months: int = 6) -> tuple[list, list]:
    """(units, rows): who acts as secretary of which unit, month by month from `first`
    (this month by default)."""
    first = month_start(first or timezone.localdate())
    units = list(acting_units())
    month_list = [add_months(first, i) for i in range(months)]
    found = {(a.unit_id, a.month): a for a in ActingSecretary.objects.select_related(
        "member__user").filter(month__in=month_list)}
    rows = [ScheduleRow(month, [found.get((u.pk, month)) for u in units]) for month in month_list]
    return units, rows


def appointments(*, first: datetime.date | None = None) -> QuerySet[ActingSecretary]:
    first = month_start(first or timezone.localdate())
    return (ActingSecretary.objects.select_related("member__user", "unit")
            .filter(month__gte=first).order_by("month", "unit__order", "unit_id"))


def appointment_now(*, member: Member, at: datetime.datetime | None = None):
    month = month_start(timezone.localdate(at or timezone.now()))
    return ActingSecretary.objects.select_related("unit").filter(member=member,
                                                                 month=month).first()


def applications_pending() -> QuerySet[ActingApplication]:
    return (ActingApplication.objects.select_related("member__user", "unit")
            .filter(status=ApplicationStatus.PENDING).order_by("month", "created_at"))


def applications_of(*, member: Member) -> QuerySet[ActingApplication]:
    return ActingApplication.objects.select_related("unit").filter(member=member).order_by(
        "-month", "-created_at")


def duty_log(*, appointment: ActingSecretary) -> QuerySet[DutyLogEntry]:
    return appointment.duty_log.all()


def duty_logs(*, month: datetime.date | None = None) -> QuerySet[DutyLogEntry]:
    month = month_start(month or timezone.localdate())
    return (DutyLogEntry.objects.select_related("appointment__member__user", "appointment__unit")
            .filter(appointment__month=month))
