"""What a member's home shows: the page (toolkit.home.views) and the API (api/me.py) read it
here, so both always agree."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from toolkit.arena import selectors as arena
from toolkit.learning import selectors as learning
from toolkit.life import selectors as life
from toolkit.mall.selectors import rewards_given_by_month
from toolkit.org.models import Member
from toolkit.points import selectors as points


@dataclass
class MemberHome:
    """The member home's data (a record, its querysets not yet evaluated)."""

    balance: int
    rank: int | None
    open_claims: QuerySet
    open_tasks: int
    meetings: QuerySet
    dues_amount: Decimal
    dues_behind: list
    remedials: QuerySet
    courses_due: QuerySet  # required courses due within the reminder days (toolkit.learning)


def member_home(*, member: Member) -> MemberHome:
    return MemberHome(
        balance=points.balance_of(member=member),
        rank=points.member_rank(member=member),
        open_claims=arena.my_open_claims(member=member),
        open_tasks=arena.open_tasks().count(),
        meetings=life.upcoming_for(member=member),
        dues_amount=life.member_monthly_dues(member=member),
        dues_behind=life.months_behind(member=member),
        remedials=points.remedial_for(member=member),
        courses_due=learning.enrolments_due_soon(
            member=member, days=learning.learning_settings().remind_days_before),
    )


def dashboard_charts() -> dict[str, list | bool]:
    """The dashboard's four charts, as (label, value) rows. A chart with nothing to show is an
    empty list (the page says there is no data yet, not a flat line at zero): no points scored
    in the six months, no meeting held by any branch yet (a new company's branches would
    otherwise show 0%). A branch with nothing due yet this month has None (shown as not yet
    due, neither 100% nor 0%); `compliance_due` and `compliance_not_due` say whether any branch
    has something due, and whether any has nothing due yet."""
    series = points.monthly_points_series(months=6)
    branches = list(life.branches())
    held = life.managed_meetings(unit_ids=[b.pk for b in branches]).exists()
    compliance = ([(unit.name, life.compliance_share(unit=unit)) for unit in branches]
                  if held else [])
    return {
        "points_series": series if any(row.points for row in series) else [],
        "top": [(s.name, s.points) for s in points.leaderboard(day=timezone.localdate(),
                                                               limit=10)],
        "rewards": rewards_given_by_month(),
        "compliance": compliance,
        "compliance_due": any(share is not None for _name, share in compliance),
        "compliance_not_due": any(share is None for _name, share in compliance),
    }
