"""What a member's home shows: the page (toolkit.home.views) and the API (api/me.py) read it
here, so both always agree."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from toolkit.arena import selectors as arena
from toolkit.learning import selectors as learning
from toolkit.life import selectors as life
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
