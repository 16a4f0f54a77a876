import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _

from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import by_name, descendants_of
from toolkit.periods import month_start, months_of
from toolkit.points.models import (
    LedgerEntry,
    MemberPoints,
    MonthlyCategoryTotal,
    MonthlyClose,
    MonthlyTotal,
    PointRule,
    RankingSnapshot,
    RedemptionRight,
    RemedialAssignment,
    RuleCode,
    category_of,
)


@dataclass
class Standing:
    """One row of a ranking (leaderboard returns a list of them, best first)."""

    rank: int
    member_id: int
    name: str
    unit: str
    points: int


def leaderboard(*, period: str = "month", day: datetime.date | None = None,
                unit: OrgUnit | None = None, limit: int = 50) -> list[Standing]:
    """Live ranking for the month, quarter or year containing `day`, company-wide or one
    unit's. One query, however many members."""
    months = months_of(period, day or datetime.date.today())
    qs = MonthlyTotal.objects.filter(month__in=months)
    if unit is not None:  # a branch's board includes its 党小组
        qs = qs.filter(member__unit_id__in=descendants_of(unit=unit))
    rows = (qs.values("member_id", "member__user__full_name", "member__unit__name")
            .annotate(total=Sum("points")).order_by("-total", "member_id")[:limit])
    standings, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        if row["total"] != previous:
            rank, previous = position, row["total"]
        standings.append(Standing(rank, row["member_id"], row["member__user__full_name"],
                                  row["member__unit__name"] or "", row["total"]))
    return standings


def member_rank(*, member: Member, day: datetime.date | None = None) -> int | None:
    """The member's company rank this month (None before they score)."""
    month = month_start(day)
    mine = MonthlyTotal.objects.filter(member=member, month=month).values_list("points",
                                                                                flat=True).first()
    if mine is None:
        return None
    return MonthlyTotal.objects.filter(month=month, points__gt=mine).count() + 1


def balance_of(*, member: Member) -> int:
    """The member's spendable points (an aggregate kept by points_award)."""
    return MemberPoints.objects.filter(member=member).values_list("balance", flat=True).first() or 0


def ledger_of(*, member: Member) -> QuerySet[LedgerEntry]:
    """All of the member's entries, newest first by the date they count for (the API pages
    through them). That date is `created_at`, the award's `at`: the day the meeting, task or
    lesson was, by which months and caps are counted, and the date the history shows. An
    award made late for an earlier day is appended to the chain after newer ones, so the
    chain's order (`seq`) is not the order of these dates; `seq` only breaks ties."""
    return LedgerEntry.objects.filter(member=member).order_by("-created_at", "-seq")


def history(*, member: Member, limit: int = 50) -> QuerySet[LedgerEntry]:
    return ledger_of(member=member)[:limit]


def snapshot(*, month: datetime.date, scope: str = "company") -> QuerySet[RankingSnapshot]:
    return (RankingSnapshot.objects.filter(month=month, scope=scope)
            .select_related("member__user", "unit").order_by("rank", "member_id"))


def may_redeem(*, member: Member, month: datetime.date) -> bool:
    """Whether the member holds the month's redemption right (last month's top ten)."""
    return RedemptionRight.objects.filter(member=member, valid_month=month).exists()


def remedial_for(*, member: Member) -> QuerySet[RemedialAssignment]:
    return RemedialAssignment.objects.filter(member=member, completed_at__isnull=True)


def remedials_without_course(*, month: datetime.date) -> QuerySet[RemedialAssignment]:
    """The month's remedial assignments that name no course: the close found no remedial
    course set (learning's settings), so these members were enrolled on nothing."""
    return (RemedialAssignment.objects.filter(month=month, course__isnull=True,
                                              completed_at__isnull=True)
            .select_related("member__user").order_by(by_name(field="member__user__name_sort"),
                                                      "member_id"))


def remedial_unenrolled_names(*, month: datetime.date) -> str:
    """The names of the members `remedials_without_course` finds, as one line for a page."""
    return _("、").join(r.member.user.get_full_name()
                       for r in remedials_without_course(month=month))


class MonthPoints(NamedTuple):
    month: str  # YYYY-MM
    points: int


def monthly_points_series(*, months: int = 6, member: Member | None = None
                          ) -> list[MonthPoints]:
    """An aggregate for the dashboard's chart: points scored in each of the last `months`
    months (a month with none is 0), company-wide or one member's."""
    from toolkit.periods import add_months

    first = add_months(month_start(), -(months - 1))
    qs = MonthlyTotal.objects.filter(month__gte=first)
    if member is not None:
        qs = qs.filter(member=member)
    totals = dict(qs.values("month").annotate(total=Sum("points")).values_list("month", "total"))
    return [MonthPoints(f"{m:%Y-%m}", totals.get(m, 0))
            for m in (add_months(first, i) for i in range(months))]


def last_close() -> MonthlyClose | None:
    """The latest month closed (月度终评), whose report can be printed."""
    return MonthlyClose.objects.order_by("-month").first()


def category_totals(*, months: list[datetime.date], member_ids: list[int] | None = None
                    ) -> dict[int, dict[str, int]]:
    """An aggregate for the vanguard index: each member's points per category over `months`
    (one query, from the table points_award keeps)."""
    qs = MonthlyCategoryTotal.objects.filter(month__in=months)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    found: dict[int, dict[str, int]] = {}
    for member_id, category, total in (qs.values_list("member_id", "category")
                                       .annotate(total=Sum("points"))
                                       .values_list("member_id", "category", "total")):
        found.setdefault(member_id, {})[category] = total
    return found


def ledger_category_sums(*, member: Member) -> dict[str, int]:
    """The member's ledger summed by each entry's category (its own, or by rule for entries
    from before categories): what category_totals must agree with. Redemptions excluded."""
    sums: dict[str, int] = {}
    for rule_code, amount, stored in (LedgerEntry.objects.filter(member=member)
                                      .exclude(rule_code=RuleCode.REDEMPTION)
                                      .values_list("rule_code", "amount", "category")):
        category = category_of(rule_code=rule_code, amount=amount, stored=stored)
        sums[category] = sums.get(category, 0) + amount
    return sums


def rule_points(*, code: str) -> int:
    """The points a rule scores now (0 when switched off): callers that score per unit (the
    quiz, per correct answer) multiply it; points_award still applies the caps."""
    rule = PointRule.objects.filter(code=code).values_list("points", "active").first()
    return rule[0] if rule and rule[1] else 0
