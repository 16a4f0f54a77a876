"""堡垒指数: each branch's 月度终评 (members' points, 三会一课, dues on time, task completion)
and the quarter's index, ranking and title. Set-based SQL: a few statements a month, however
many branches and members (bench/indices.py)."""

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from tenants.locks import company_xact_lock
from toolkit.arena.models import Claim, ClaimStatus, Task
from toolkit.indices import formula
from toolkit.indices.models import BranchMonth, BranchQuarter
from toolkit.indices.selectors import settings_row
from toolkit.life.models import ComplianceRule, DuesPayment, Meeting
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.periods import add_months, local_month_bounds, quarter_start
from toolkit.points.models import MonthlyTotal

LOCK = "indices.fortress"

# Members of each branch (its 党小组 included) who belonged to the company in the month.
_MEMBERS = """
WITH ub AS (SELECT * FROM unnest(%(units)s::bigint[], %(branches)s::bigint[])
            AS ub(unit_id, branch_id)),
     bm AS (SELECT m.id AS member_id, ub.branch_id FROM {member} m
            JOIN ub ON ub.unit_id = m.unit_id
            JOIN {user} u ON u.id = m.user_id
            WHERE u.is_active AND u.date_joined < %(end)s)
"""
_POINTS_DUES = _MEMBERS + """
SELECT bm.branch_id, COUNT(*), COALESCE(SUM(t.points), 0),
       COUNT(d.id) FILTER (WHERE d.on_time)
FROM bm
LEFT JOIN {total} t ON t.member_id = bm.member_id AND t.month = %(month)s
LEFT JOIN {dues} d ON d.member_id = bm.member_id AND d.month = %(month)s
GROUP BY bm.branch_id
"""
# Claims of the branch's members on tasks due in the month (given up ones do not count).
_TASKS = _MEMBERS + """
SELECT bm.branch_id, COUNT(*) FILTER (WHERE c.status = %(accepted)s), COUNT(*)
FROM bm JOIN {claim} c ON c.member_id = bm.member_id JOIN {task} k ON k.id = c.task_id
WHERE k.deadline >= %(start)s AND k.deadline < %(end)s AND c.status <> %(withdrawn)s
GROUP BY bm.branch_id
"""
_MEETINGS = """
SELECT ub.branch_id, g.kind,
       date_trunc('month', g.starts_at AT TIME ZONE %(zone)s)::date
FROM {meeting} g
JOIN unnest(%(units)s::bigint[], %(branches)s::bigint[]) AS ub(unit_id, branch_id)
  ON ub.unit_id = g.unit_id
WHERE g.starts_at >= %(from)s AND g.starts_at <= %(now)s
GROUP BY 1, 2, 3
"""


def _tables() -> dict[str, str]:
    from accounts.models import User

    return {"member": Member._meta.db_table, "user": User._meta.db_table,
            "total": MonthlyTotal._meta.db_table, "dues": DuesPayment._meta.db_table,
            "claim": Claim._meta.db_table, "task": Task._meta.db_table,
            "meeting": Meeting._meta.db_table}


def _branch_map() -> tuple[list[int], list[int], list[int]]:
    """(unit ids, the 党支部 each belongs to, the branches): units not under a branch (the
    committee itself) are left out."""
    units = {pk: (kind, parent) for pk, kind, parent in
             OrgUnit.objects.values_list("id", "kind", "parent_id")}

    def branch(pk):
        current = pk
        while current is not None and units[current][0] != UnitKind.BRANCH:
            current = units[current][1]
        return current

    pairs = [(pk, branch(pk)) for pk in units]
    pairs = [(pk, b) for pk, b in pairs if b is not None]
    branches = sorted(pk for pk, (kind, _parent) in units.items() if kind == UnitKind.BRANCH)
    return [p for p, _b in pairs], [b for _p, b in pairs], branches


def _period(month: datetime.date, every: int) -> tuple[datetime.date, datetime.date]:
    """The rule's period containing the month (aligned to the year): first month, and the
    month after its last."""
    start = month.replace(month=(month.month - 1) // every * every + 1)
    return start, add_months(start, every)


def _share(part: int, whole: int, empty: Decimal) -> Decimal:
    return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else empty


@transaction.atomic
def fortress_settle_month(*, month: datetime.date, now: datetime.datetime | None = None
                          ) -> int:
    """月度终评 of every branch for the month; run again, it settles the month afresh (later
    dues and meetings count). Returns the number of branches."""
    company_xact_lock(LOCK)
    now = now or timezone.now()
    month = month.replace(day=1)
    unit_ids, branch_of, branches = _branch_map()
    start, end = local_month_bounds(month)
    params = {"units": unit_ids, "branches": branch_of, "month": month, "start": start,
              "end": end, "accepted": ClaimStatus.ACCEPTED, "withdrawn": ClaimStatus.WITHDRAWN,
              "zone": timezone.get_current_timezone_name(), "now": now}
    tables = _tables()
    rules = list(ComplianceRule.objects.values_list("kind", "every_months"))
    periods = {kind: _period(month, every) for kind, every in rules}
    params["from"] = local_month_bounds(min([p[0] for p in periods.values()] or [month]))[0]
    with connection.cursor() as cursor:
        cursor.execute(_POINTS_DUES.format(**tables), params)
        people = {b: (n, pts, dues) for b, n, pts, dues in cursor.fetchall()}
        cursor.execute(_TASKS.format(**tables), params)
        tasks = {b: (done, n) for b, done, n in cursor.fetchall()}
        cursor.execute(_MEETINGS.format(**tables), params)
        held = {(b, kind, m) for b, kind, m in cursor.fetchall()}
    today = timezone.localdate(now)
    averages = {b: Decimal(people[b][1]) / people[b][0] if b in people else Decimal(0)
                for b in branches}
    best = max(averages.values(), default=Decimal(0))
    weights = {m: str(getattr(settings_row(), f"f_{m}")) for m in formula.MEASURES}
    rows = []
    for b in branches:
        n, _pts, dues_paid = people.get(b, (0, 0, 0))
        met = 0
        for kind, (first, after) in periods.items():
            # Held in its period, or its period still running (not yet due: as the lights).
            if after > today.replace(day=1) or any((b, kind, add_months(first, i)) in held
                                                   for i in range(_months(first, after))):
                met += 1
        shares = {
            "points": (averages[b] / best).quantize(Decimal("0.0001")) if best else Decimal(0),
            "meetings": _share(met, len(periods), Decimal(1)),
            "dues": _share(dues_paid, n, Decimal(0)),
            "tasks": _share(*tasks.get(b, (0, 0)), Decimal(1)),
        }
        rows.append(BranchMonth(
            branch_id=b, month=month, members=n, points_avg=formula.cents(averages[b]),
            points_share=shares["points"], meetings_share=shares["meetings"],
            dues_share=shares["dues"], tasks_share=shares["tasks"],
            score=formula.fortress_score(shares=shares, weights=weights)))
    BranchMonth.objects.filter(month=month).delete()
    BranchMonth.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def fortress_close_month(*, month: datetime.date, now: datetime.datetime | None = None) -> int:
    """The beat's 月度终评: the month settled afresh and, when the committee has already settled
    its quarter (while the month was running), the quarter too, under the same lock, so the
    quarter's ranking is made of the months' final rows. Returns the number of branches.

    Recomputing may move an announced 红旗支部; it is done anyway. A quarter settled before its
    last month ended counted that month as it then stood, so its ranking was provisional: the
    rows shown beside it are the final ones, and a title that disagrees with the months it is
    computed from could not be explained to the branch that lost it. A title announced after
    the quarter's last month is settled finally (the 1st, from 02:00) never moves."""
    company_xact_lock(LOCK)
    settled = fortress_settle_month(month=month, now=now)
    quarter = quarter_start(month)
    if BranchQuarter.objects.filter(quarter=quarter).exists():
        fortress_settle_quarter(start=quarter, now=now)
    return settled


def fortress_month_missing(*, month: datetime.date) -> bool:
    """The company has branches and no final 月度终评 of `month`: none settled after the month
    ended (the committee's quarter settles the running month too, as it then stood). The
    beat's question; a read, no lock: settling twice gives one result anyway."""
    month = month.replace(day=1)
    return (OrgUnit.objects.filter(kind=UnitKind.BRANCH).exists()
            and not BranchMonth.objects.filter(
                month=month, settled_at__gte=local_month_bounds(month)[1]).exists())


def _months(first: datetime.date, after: datetime.date) -> int:
    return (after.year - first.year) * 12 + after.month - first.month


@transaction.atomic
def fortress_settle_quarter(*, start: datetime.date, now: datetime.datetime | None = None
                            ) -> int:
    """The quarter's 堡垒指数: its months settled afresh, then each branch's index (the
    weighted formula over the quarter's average measures), ranks (ties share one) and the
    title for the best `flag_count`. Returns the number of branches."""
    start = quarter_start(start)
    months = [add_months(start, i) for i in range(3)]
    today = timezone.localdate(now or timezone.now())
    months = [m for m in months if m <= today] or months[:1]
    for month in months:
        fortress_settle_month(month=month, now=now)
    row = settings_row()
    weights = {m: str(getattr(row, f"f_{m}")) for m in formula.MEASURES}
    sums: dict[int, dict[str, Decimal]] = {}
    for month_row in BranchMonth.objects.filter(month__in=months):
        mine = sums.setdefault(month_row.branch_id, {m: Decimal(0) for m in formula.MEASURES})
        for measure in formula.MEASURES:
            mine[measure] += getattr(month_row, f"{measure}_share")
    scores = {b: formula.fortress_score(shares={m: v / len(months) for m, v in s.items()},
                                        weights=weights) for b, s in sums.items()}
    ranked = formula.ranks(scores)
    snapshot = {"weights": weights, "months": [m.isoformat() for m in months],
                "flag": {"title": row.flag_title, "count": row.flag_count}}
    BranchQuarter.objects.filter(quarter=start).delete()
    BranchQuarter.objects.bulk_create([
        BranchQuarter(branch_id=b, quarter=start, score=score, rank=ranked[b],
                      flag=ranked[b] <= row.flag_count and score > 0,
                      flag_title=row.flag_title, formula=snapshot)
        for b, score in scores.items()])
    return len(scores)
