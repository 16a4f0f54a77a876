"""Reads of the indices, and the access rules of the quarter's flow (who owes which step)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from toolkit.indices.models import (
    BranchMonth,
    BranchQuarter,
    IndexItem,
    IndexSettings,
    MemberIndex,
    Quarter,
    Step,
)
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import committee_secretary_rights, managed_unit_ids, member_for_user


def settings_row() -> IndexSettings:
    return IndexSettings.objects.get_or_create(pk=1)[0]


def items() -> QuerySet[IndexItem]:
    return IndexItem.objects.all()


def latest_quarter() -> Quarter | None:
    return Quarter.objects.order_by("-start").first()


def quarters() -> QuerySet[Quarter]:
    return Quarter.objects.order_by("-start")


# Access rules of the flow: pages, the API and the services ask these.

def may_confirm(*, user) -> bool:
    """The committee: the company admin, a secretary or deputy of a 党委, or the 党委's acting
    secretary this month (toolkit.org's rule)."""
    return committee_secretary_rights(user=user)


def may_review(*, user, result: MemberIndex) -> bool:
    """The branch: whoever manages the member's unit, never for their own index."""
    return (result.member.user_id != user.pk
            and result.unit_id is not None and result.unit_id in managed_unit_ids(user=user))


def self_overdue(*, quarter: Quarter, today: datetime.date | None = None) -> bool:
    """A self-assessment not written by its deadline no longer holds up the review."""
    return (today or timezone.localdate()) > quarter.self_deadline


def result_of(*, member: Member, quarter: Quarter | None) -> MemberIndex | None:
    if quarter is None:
        return None
    return MemberIndex.objects.filter(member=member, quarter=quarter).first()


def history_of(*, member: Member) -> QuerySet[MemberIndex]:
    """The member's index quarter by quarter, newest first."""
    return (MemberIndex.objects.filter(member=member).select_related("quarter")
            .order_by("-quarter__start"))


def review_queue(*, user, quarter: Quarter | None) -> QuerySet[MemberIndex]:
    """What this user's branch review owes: their units' members at review (or whose
    self-assessment is overdue), never their own."""
    if quarter is None:
        return MemberIndex.objects.none()
    waiting = Q(step=Step.REVIEW)
    if self_overdue(quarter=quarter):
        waiting |= Q(step=Step.SELF)
    return (MemberIndex.objects.filter(waiting, quarter=quarter,
                                       unit_id__in=managed_unit_ids(user=user))
            .exclude(member__user=user).select_related("member__user", "unit")
            .order_by("unit_id", "member_id"))


def confirm_queue(*, user, quarter: Quarter | None) -> QuerySet[MemberIndex]:
    if quarter is None or not may_confirm(user=user):
        return MemberIndex.objects.none()
    return (MemberIndex.objects.filter(quarter=quarter, step=Step.CONFIRM)
            .exclude(member__user=user).select_related("member__user", "unit")
            .order_by("-draft", "member_id"))


def results(*, quarter: Quarter) -> QuerySet[MemberIndex]:
    return (MemberIndex.objects.filter(quarter=quarter).select_related("member__user", "unit")
            .order_by("-final", "-draft", "member_id"))


def step_counts(*, quarter: Quarter) -> dict[str, int]:
    from django.db.models import Count

    counts = dict(MemberIndex.objects.filter(quarter=quarter).values_list("step")
                  .annotate(n=Count("id")).values_list("step", "n"))
    return {step: counts.get(step, 0) for step in Step.values}


def stars(*, quarter: Quarter | None = None) -> QuerySet[MemberIndex]:
    """党员之星 of the quarter (the latest one named, by default)."""
    if quarter is None:
        quarter = Quarter.objects.filter(stars_named_at__isnull=False).order_by("-start").first()
    if quarter is None:
        return MemberIndex.objects.none()
    return (MemberIndex.objects.filter(quarter=quarter, star=True)
            .select_related("member__user", "unit", "quarter").order_by("-final", "member_id"))


def star_quarters_of(*, member: Member) -> list[str]:
    """The quarters the member was 党员之星 (their profile and home show them)."""
    return [str(r.quarter) for r in MemberIndex.objects.filter(member=member, star=True)
            .select_related("quarter").order_by("-quarter__start")]


@dataclass
class Owed:
    """One step someone owes: what, how many, by when, and the page to do it on."""

    label: str
    count: int
    deadline: datetime.date
    url_name: str


def steps_owed(*, user) -> list[Owed]:
    """The home page's reminders: the latest quarter's steps this user owes."""
    from django.utils.translation import gettext as _

    quarter = latest_quarter()
    if quarter is None:
        return []
    owed = []
    member = member_for_user(user=user)
    if member is not None and MemberIndex.objects.filter(
            quarter=quarter, member=member, step=Step.SELF).exists() and not self_overdue(
            quarter=quarter):
        owed.append(Owed(_("先锋指数自评"), 1, quarter.self_deadline, "indices:mine"))
    reviews = review_queue(user=user, quarter=quarter).count()
    if reviews:
        owed.append(Owed(_("先锋指数支部审核"), reviews, quarter.review_deadline,
                         "indices:review"))
    confirms = confirm_queue(user=user, quarter=quarter).count()
    if confirms:
        owed.append(Owed(_("先锋指数党委确认"), confirms, quarter.confirm_deadline,
                         "indices:confirm"))
    return owed


def fortress_quarters() -> list[datetime.date]:
    return list(BranchQuarter.objects.order_by("-quarter").values_list("quarter", flat=True)
                .distinct())


def fortress_ranking(*, quarter: datetime.date | None = None) -> QuerySet[BranchQuarter]:
    """The quarter's (the latest settled, by default) branches, best first."""
    if quarter is None:
        quarter = (BranchQuarter.objects.order_by("-quarter").values_list("quarter", flat=True)
                   .first())
    return (BranchQuarter.objects.filter(quarter=quarter).select_related("branch")
            .order_by("rank", "branch_id"))


def fortress_history(*, branch: OrgUnit) -> QuerySet[BranchQuarter]:
    return BranchQuarter.objects.filter(branch=branch).order_by("-quarter")


def fortress_months(*, quarter: datetime.date) -> QuerySet[BranchMonth]:
    from toolkit.periods import add_months

    return (BranchMonth.objects.filter(month__gte=quarter, month__lt=add_months(quarter, 3))
            .select_related("branch").order_by("branch__order", "branch_id", "month"))
