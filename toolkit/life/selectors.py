import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from toolkit.life.models import (
    Attendance,
    ComplianceRule,
    DuesCategory,
    DuesPayment,
    DuesProfile,
    DuesSettings,
    LeaveRequest,
    LeaveStatus,
    Meeting,
)
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.org.selectors import (
    descendants_of,
    managed_unit_ids,
    member_for_user,
    unit_managed_by,
)
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


class ComplianceRow(NamedTuple):
    rule: ComplianceRule
    cells: list[Cell]  # one a month, oldest first


def compliance(*, unit: OrgUnit, months: int = 6, today: datetime.date | None = None
               ) -> list[ComplianceRow]:
    """An aggregate for the compliance lights: for each required kind of meeting, the last
    `months` months coloured by whether the period (one month or a quarter, per the company's
    rule) that month falls in had one."""
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
        rows.append(ComplianceRow(rule, cells))
    return rows


def _period_months(*, month: datetime.date, every: int) -> list[datetime.date]:
    # Periods are aligned to the year: monthly, quarterly (Jan/Apr/Jul/Oct), half-yearly…
    start_index = (month.month - 1) // every * every
    start = month.replace(month=start_index + 1)
    return [add_months(start, i) for i in range(every)]


def branches() -> QuerySet[OrgUnit]:
    """The units 三会一课 is required of: the party branches."""
    return OrgUnit.objects.filter(kind=UnitKind.BRANCH).order_by("order", "id")


def compliance_share(*, unit: OrgUnit, today: datetime.date | None = None) -> int | None:
    """An aggregate for the dashboard: percent of this unit's current-month cells that are due
    (held, or near or past their period's end) and green. None while none is due: early in a
    month a branch that has done nothing is not 100 % compliant, nor 0 %, it is not due yet."""
    rows = compliance(unit=unit, months=1, today=today)
    lights = [cells[-1].light for _rule, cells in rows if cells[-1].light != Light.PENDING]
    return round(100 * lights.count(Light.GREEN) / len(lights)) if lights else None


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


def attendances_of(*, meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("member__user")


def pending_leaves(*, meeting: Meeting) -> QuerySet[LeaveRequest]:
    return meeting.leave_requests.filter(status=LeaveStatus.PENDING).select_related("member__user")


def approved_leaves(*, meeting: Meeting) -> QuerySet[LeaveRequest]:
    return (meeting.leave_requests.filter(status=LeaveStatus.APPROVED)
            .select_related("member__user", "decided_by").order_by("decided_at"))


def absentees(*, meeting: Meeting) -> QuerySet[Member]:
    """Who was expected (active, a member when it began) and neither signed in nor had
    leave approved."""
    return (expected_members(meeting=meeting)
            .filter(user__is_active=True, user__date_joined__lt=meeting.starts_at)
            .exclude(attendances__meeting=meeting)
            # One subquery for both conditions: approved leave for THIS meeting (two lookups
            # across the relation in one exclude() are two subqueries, and leave approved
            # for another meeting would then excuse this one).
            .exclude(pk__in=LeaveRequest.objects.filter(
                meeting=meeting, status=LeaveStatus.APPROVED).values("member_id")))


def leave_of(*, meeting: Meeting, member: Member | None) -> LeaveRequest | None:
    """The member's own leave request for the meeting, if they made one."""
    if member is None:
        return None
    return LeaveRequest.objects.filter(meeting=meeting, member=member).first()


# Access rules: pages, services and (later) the API ask these.

def meetings_visible_to(*, user) -> QuerySet[Meeting]:
    """The meetings a user may see: their unit's and every unit's above it (a committee's
    lesson is theirs too), and those of the units they manage. Another branch's meeting is
    none of these."""
    visible = Q(unit_id__in=managed_unit_ids(user=user))
    member = member_for_user(user=user)
    if member is not None:
        visible |= Q(pk__in=meetings_for(member=member).values("pk"))
    return Meeting.objects.filter(visible).select_related("unit")


def meeting_visible_to(*, user, meeting: Meeting) -> bool:
    return meetings_visible_to(user=user).filter(pk=meeting.pk).exists()


def meeting_managed_by(*, user, meeting: Meeting) -> bool:
    """Who runs a meeting: shows its check-in code and expected list, records attendance by
    hand, keeps the minutes: whoever manages its unit."""
    return unit_managed_by(user=user, unit_id=meeting.unit_id)


def attendance_recordable_by(*, user, meeting: Meeting) -> bool:
    return meeting_managed_by(user=user, meeting=meeting)


def leave_decidable_by(*, user, leave: LeaveRequest) -> bool:
    """Who may approve or refuse a leave request: whoever runs the meeting (the service also
    refuses a secretary their own)."""
    return unit_managed_by(user=user, unit_id=leave.meeting.unit_id)


def expected_members(*, meeting: Meeting) -> QuerySet[Member]:
    return (Member.objects.filter(unit_id__in=descendants_of(unit=meeting.unit))
            .select_related("user"))


# Party dues (党费): the monthly amount from the declared after-tax wage, and arrears.
# The standard brackets apply to the whole wage (not progressively): up to ¥3,000 0.5%; over
# 3,000 to 5,000 1%; over 5,000 to 10,000 1.5%; over 10,000 2%. Money is Decimal, rounded to
# the fen (half up). Payments are recorded by services.dues_payment_record.

FEN = Decimal("0.01")
BRACKETS = [(Decimal("3000"), Decimal("0.005")), (Decimal("5000"), Decimal("0.01")),
            (Decimal("10000"), Decimal("0.015")), (None, Decimal("0.02"))]


def rate_for(*, wage: Decimal) -> Decimal:
    """The bracket's rate for a monthly after-tax wage."""
    for ceiling, rate in BRACKETS:
        if ceiling is None or wage <= ceiling:
            return rate
    raise AssertionError("unreachable")


def monthly_dues(*, profile: DuesProfile | None, dues_settings: DuesSettings) -> Decimal:
    """The amount a profile owes each month (0.00 with no profile or no wage declared)."""
    if profile is None:
        return Decimal("0.00")
    fixed = {DuesCategory.STUDENT: dues_settings.student,
             DuesCategory.UNEMPLOYED: dues_settings.unemployed,
             DuesCategory.RETIRED: dues_settings.retired}
    if profile.category in fixed:
        return fixed[profile.category]
    if profile.monthly_wage is None:
        return Decimal("0.00")  # no wage declared yet: nothing is computed
    return (profile.monthly_wage * rate_for(wage=profile.monthly_wage)).quantize(
        FEN, ROUND_HALF_UP)


def member_monthly_dues(*, member: Member) -> Decimal:
    return monthly_dues(profile=DuesProfile.objects.filter(member=member).first(),
                        dues_settings=settings_row())


def settings_row() -> DuesSettings:
    # The company's one settings row, made with the model's defaults on first read: a company
    # that never opened the settings page still has its rules.
    return DuesSettings.objects.get_or_create(pk=1)[0]


def due_date(*, month: datetime.date, dues_settings: DuesSettings) -> datetime.date:
    """The day a month's dues are due (the company's due day, at most the 28th)."""
    return month.replace(day=min(dues_settings.due_day, 28))


def months_due(*, today: datetime.date | None = None, back: int = 3) -> list[datetime.date]:
    """The months whose dues should be paid by now: the last `back` months, and this one once
    its due date has passed (a list of month starts)."""
    today = today or timezone.localdate()
    current = month_start(today)
    months = [add_months(current, -n) for n in range(back, 0, -1)]
    if today > due_date(month=current, dues_settings=settings_row()):
        months.append(current)
    return months


def months_owed(*, member: Member, months: list[datetime.date], dues_settings: DuesSettings
                ) -> list[datetime.date]:
    """Of `months`, those the member was here for: a month whose due date passed before they
    joined this company (their account here was made) is not theirs to pay."""
    joined = timezone.localdate(member.user.date_joined)
    return [month for month in months
            if due_date(month=month, dues_settings=dues_settings) >= joined]


def months_behind(*, member: Member, today: datetime.date | None = None
                  ) -> list[datetime.date]:
    """The months due that this member has not paid (one query; a list of month starts)."""
    months = months_owed(member=member, months=months_due(today=today),
                         dues_settings=settings_row())
    paid = set(DuesPayment.objects.filter(member=member, month__in=months)
               .values_list("month", flat=True))
    return [month for month in months if month not in paid]


class Arrears(NamedTuple):
    member: Member
    months: list[datetime.date]  # month starts, oldest first


def members_behind(*, today: datetime.date | None = None, unit_ids: list[int] | None = None
                   ) -> list[Arrears]:
    """An aggregate for the secretary's dues page: who has not paid which of the months due,
    within `unit_ids` if given (two queries)."""
    months, dues_settings = months_due(today=today), settings_row()
    paid = set(DuesPayment.objects.filter(month__in=months).values_list("member_id", "month"))
    members = Member.objects.select_related("user", "unit").order_by("unit", "id")
    if unit_ids is not None:
        members = members.filter(unit_id__in=unit_ids)
    behind = []
    for member in members:
        missing = [m for m in months_owed(member=member, months=months,
                                          dues_settings=dues_settings)
                   if (member.pk, m) not in paid]
        if missing:
            behind.append(Arrears(member, missing))
    return behind


def dues_payments_of(*, member: Member) -> QuerySet[DuesPayment]:
    return member.dues_payments.all()


def meetings_between(*, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Meeting]:
    """Every meeting of the company starting in [start, end) (the big screen's calendar)."""
    return (Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
            .select_related("unit").order_by("starts_at", "id"))
