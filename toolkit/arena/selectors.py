from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from toolkit.arena.models import HOLDING_PLACE, Claim, ClaimStatus, Evidence, Task, TaskStatus
from toolkit.org.models import Member, OrgUnit
from toolkit.org.selectors import member_for_user, unit_managed_by


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


def claim_of(*, task: Task, member: Member | None) -> Claim | None:
    """The member's claim on the task, if they claimed it."""
    if member is None:
        return None
    return Claim.objects.filter(task=task, member=member).first()


# Access rules: pages, services and (later) the API ask these.

def task_publishable_by(*, user, unit: OrgUnit) -> bool:
    """Who may publish a task in a unit's name: whoever manages the unit."""
    return unit_managed_by(user=user, unit_id=unit.pk)


def task_managed_by(*, user, task: Task) -> bool:
    """Who may close a task and see its management links: whoever manages its publisher."""
    return unit_managed_by(user=user, unit_id=task.publisher_id)


def claim_reviewable_by(*, user, claim: Claim) -> bool:
    """Who may review a claim: whoever manages the task's publisher (the service also refuses
    a secretary their own claim)."""
    return unit_managed_by(user=user, unit_id=claim.task.publisher_id)


def evidence_downloadable_by(*, user, evidence: Evidence) -> bool:
    """Evidence is for the member who submitted it and for whoever reviews the task; nobody
    else, not even another member of the same branch."""
    if not user.is_authenticated:
        return False
    member = member_for_user(user=user)
    if member is not None and evidence.claim.member_id == member.pk:
        return True
    return claim_reviewable_by(user=user, claim=evidence.claim)
