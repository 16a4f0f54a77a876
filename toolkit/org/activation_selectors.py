"""Who is in, who is invited, who is not yet: the admin's view of activation."""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import ActivationCode
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import descendants_of, unit_tree

ACTIVE = Q(user__is_active=True) & ~Q(user__password__startswith="!")  # "!": unusable


class Status:
    ACTIVE = "active"
    INVITED = "invited"
    EXPIRED = "expired"
    NOT_INVITED = "not_invited"
    STOPPED = "stopped"


def members_with_activation(*, unit_ids: list[int] | None = None) -> QuerySet[Member]:
    """Members with `is_in` and their latest code's channel, time and expiry."""
    latest = ActivationCode.objects.filter(user=OuterRef("user"), used_at__isnull=True,
                                           revoked_at__isnull=True).order_by("-created_at", "-id")
    members = (Member.objects.select_related("user", "unit")
               .annotate(is_in=ExpressionWrapper(ACTIVE, output_field=BooleanField()),
                         code_channel=Subquery(latest.values("channel")[:1]),
                         code_at=Subquery(latest.values("created_at")[:1]),
                         code_expires=Subquery(latest.values("expires_at")[:1]))
               .order_by("unit__order", "unit_id", "id"))
    return members if unit_ids is None else members.filter(unit_id__in=unit_ids)


def activation_status(*, member: Member) -> str:
    if not member.user.is_active:
        return Status.STOPPED
    if member.is_in:
        return Status.ACTIVE
    if member.code_at is None:
        return Status.NOT_INVITED
    return Status.EXPIRED if member.code_expires <= timezone.now() else Status.INVITED


@dataclass
class UnitSummary:
    unit: OrgUnit
    depth: int
    members: int
    active: int
    invited: int  # holds a live code (not expired)

    @property
    def waiting(self) -> int:
        return self.members - self.active


def unit_summaries() -> list[UnitSummary]:
    """Per unit (the tree's order), its own members: how many are in, invited, neither."""
    now = timezone.now()
    live = Q(user__activation_codes__used_at__isnull=True,
             user__activation_codes__revoked_at__isnull=True,
             user__activation_codes__expires_at__gt=now)
    counts = {row["unit_id"]: row for row in Member.objects.values("unit_id").annotate(
        total=Count("id", distinct=True), active=Count("id", filter=ACTIVE, distinct=True),
        invited=Count("id", filter=live & ~ACTIVE, distinct=True)).order_by()}
    return [UnitSummary(unit, depth, counts.get(unit.pk, {}).get("total", 0),
                        counts.get(unit.pk, {}).get("active", 0),
                        counts.get(unit.pk, {}).get("invited", 0))
            for unit, depth in unit_tree()]


def unit_scope(*, unit: OrgUnit) -> list[int]:
    """A branch's invitation covers its 党小组 too."""
    return descendants_of(unit=unit)


def activation_recipients(*, member: Member | None = None, unit: OrgUnit | None = None
                          ) -> QuerySet[Member]:
    """Whom a round of invitations is for: one member, or a unit and those under it, or
    everyone; annotated as members_with_activation."""
    members = members_with_activation()
    if member is not None:
        return members.filter(pk=member.pk)
    if unit is not None:
        return members.filter(unit_id__in=unit_scope(unit=unit))
    return members


def users_waiting(*, members: QuerySet[Member]) -> list:
    """Of the recipients, the users not yet in: only they are sent a new code (an aggregate
    of the annotated rows, in their order)."""
    return [member.user for member in members if not member.is_in]
