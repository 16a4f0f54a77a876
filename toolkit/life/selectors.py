import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from toolkit.life.models import ComplianceRule, LeaveRequest, LeaveStatus, Meeting
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.org.selectors import descendants_of
from toolkit.periods import add_months, month_start


class Light:
    GREEN = "green"  # held in its period
    AMBER = "amber"  # due: the period ends within the rule's warning days, none held yet
    RED = "red"  # overdue: a past period went without one
    PENDING = "pending"  # the current period, not near its end yet


@dataclass
class Cell:
    month: datetime.date
    light: str
    held: int


def compliance(*, unit: OrgUnit, months: int = 6, today: datetime.date | None = None
               ) -> list[tuple[ComplianceRule, list[Cell]]]:
    """For each required kind of meeting, the last `months` months coloured by whether the
    period (one month or a quarter, per the company's rule) that month falls in had one."""
    today = today or timezone.localdate()
    current = month_start(today)
    first = add_months(current, -(months - 1))
    held_months = {}
    # Held means started by now (a meeting planned for next week does not count yet), in the
    # branch or a 党小组 under it.
    held = Meeting.objects.filter(unit_id__in=descendants_of(unit=unit),
                                  starts_at__date__gte=add_months(first, -12),
                                  starts_at__date__lte=today)
    for kind, starts_at in held.values_list("kind", "starts_at"):
        key = (kind, month_start(timezone.localdate(starts_at)))
        held_months[key] = held_months.get(key, 0) + 1
    rows = []
    for rule in ComplianceRule.objects.all():
        cells = []
        for i in range(months):
            month = add_months(first, i)
            period = _period_months(month=month, every=rule.every_months)
            held = sum(held_months.get((rule.kind, m), 0) for m in period)
            period_end = add_months(period[-1], 1) - datetime.timedelta(days=1)
            if held:
                light = Light.GREEN
            elif period_end < today:
                light = Light.RED
            elif (period_end - today).days < rule.warn_days:
                light = Light.AMBER
            else:
                light = Light.PENDING
            cells.append(Cell(month, light, held))
        rows.append((rule, cells))
    return rows


def _period_months(*, month: datetime.date, every: int) -> list[datetime.date]:
    # Periods are aligned to the year: monthly, quarterly (Jan/Apr/Jul/Oct), half-yearly…
    start_index = (month.month - 1) // every * every
    start = month.replace(month=start_index + 1)
    return [add_months(start, i) for i in range(every)]


def branches() -> QuerySet[OrgUnit]:
    """The units 三会一课 is required of: the party branches."""
    return OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("order", "id")


def compliance_share(*, unit: OrgUnit) -> int:
    """Percent of this unit's current-month cells that are green (for the dashboard)."""
    rows = compliance(unit=unit, months=1)
    lights = [cells[-1].light for _rule, cells in rows if cells[-1].light != Light.PENDING]
    return round(100 * lights.count(Light.GREEN) / len(lights)) if lights else 100


def meetings_for(*, member: Member) -> QuerySet[Meeting]:
    """Meetings of the member's unit and every unit above it (a committee's lesson is theirs)."""
    units, unit = [], member.unit
    while unit is not None:
        units.append(unit.pk)
        unit = unit.parent
    return Meeting.objects.filter(unit_id__in=units).select_related("unit")


def upcoming_for(*, member: Member, limit: int = 3) -> QuerySet[Meeting]:
    return (meetings_for(member=member).filter(ends_at__gte=timezone.now())
            .order_by("starts_at")[:limit])


def managed_meetings(*, unit_ids: list[int]) -> QuerySet[Meeting]:
    return Meeting.objects.filter(unit_id__in=unit_ids).select_related("unit")


def pending_leaves(*, meeting: Meeting) -> QuerySet[LeaveRequest]:
    return meeting.leave_requests.filter(status=LeaveStatus.PENDING).select_related("member__user")


def approved_leaves(*, meeting: Meeting) -> QuerySet[LeaveRequest]:
    return (meeting.leave_requests.filter(status=LeaveStatus.APPROVED)
            .select_related("member__user", "decided_by").order_by("decided_at"))


def expected_members(*, meeting: Meeting) -> QuerySet[Member]:
    return (Member.objects.filter(unit_id__in=descendants_of(unit=meeting.unit))
            .select_related("user"))
