from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from toolkit.org.models import Member
from toolkit.tasks.models import HOLDING_PLACE, Claim, ClaimStatus, Task, TaskStatus


def open_tasks() -> QuerySet[Task]:
    """Visible to everyone, at any time: open tasks with their places taken."""
    return (Task.objects.filter(status=TaskStatus.OPEN, deadline__gt=timezone.now())
            .select_related("publisher")
            .annotate(taken=Count("claims", filter=Q(claims__status__in=HOLDING_PLACE))))


def claims_of(*, member: Member) -> QuerySet[Claim]:
    return Claim.objects.filter(member=member).select_related("task").order_by("-created_at")


def my_open_claims(*, member: Member) -> QuerySet[Claim]:
    return claims_of(member=member).filter(status__in=[ClaimStatus.CLAIMED, ClaimStatus.RETURNED])


def to_review(*, unit_ids: list[int]) -> QuerySet[Claim]:
    return (Claim.objects.filter(status=ClaimStatus.SUBMITTED, task__publisher_id__in=unit_ids)
            .select_related("task", "member__user").prefetch_related("files"))
