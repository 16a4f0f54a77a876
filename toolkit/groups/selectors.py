"""Reads and access rules of the groups (docs/decisions/0012: keyword-only, beside the data)."""

from django.db.models import Count, Exists, OuterRef, QuerySet

from toolkit.groups.models import (
    Follow,
    Group,
    Membership,
    Nomination,
    NominationStatus,
    Work,
)
from toolkit.learning.member_lessons_selectors import lessons_of_lecturer
from toolkit.org.models import Member, Position, UnitKind
from toolkit.org.selectors import member_for_user


def groups(*, member: Member | None = None) -> QuerySet[Group]:
    """Every group with its member, work and follower counts; `followed` for this member."""
    qs = (Group.objects.select_related("leader__user")
          .annotate(member_count=Count("memberships", distinct=True),
                    work_count=Count("works", distinct=True),
                    follower_count=Count("follows", distinct=True)))
    if member is not None:
        qs = qs.annotate(followed=Exists(Follow.objects.filter(group=OuterRef("pk"),
                                                               member=member)))
    return qs


def members_of(*, group: Group) -> QuerySet[Membership]:
    return group.memberships.select_related("member__user", "member__unit").order_by("id")


def works_of(*, group: Group) -> QuerySet[Work]:
    return group.works.select_related("author__user", "member_lesson")


def latest_works(*, limit: int = 10) -> QuerySet[Work]:
    """The newest works of every group (the dashboard)."""
    return Work.objects.select_related("group", "author__user")[:limit]


def pending_nominations() -> QuerySet[Nomination]:
    return (Nomination.objects.filter(status=NominationStatus.PENDING)
            .select_related("group", "member__user", "member__unit", "nominated_by"))


def is_in_group(*, group: Group, member: Member | None) -> bool:
    return member is not None and group.memberships.filter(member=member).exists()


def linkable_lessons(*, member: Member):
    """The member's own published 微党课, which a work of theirs may point to."""
    return lessons_of_lecturer(lecturer=member, published_only=True)


# Access rules.

def may_decide_nominations(*, user) -> bool:
    """The committee decides nominations: the company admin, or a secretary or deputy
    secretary of a 党委 (the organisation's own roles, toolkit.org)."""
    if user.is_company_admin:
        return True
    member = member_for_user(user=user)
    return (member is not None and member.unit is not None
            and member.unit.kind == UnitKind.COMMITTEE
            and member.position in (Position.SECRETARY, Position.DEPUTY_SECRETARY))


def may_post_work(*, user, group: Group) -> bool:
    """The group's own members (its leader is one) publish its works."""
    return is_in_group(group=group, member=member_for_user(user=user))


def may_manage_groups(*, user) -> bool:
    """Founding a group is the committee's, as deciding who joins it."""
    return may_decide_nominations(user=user)
