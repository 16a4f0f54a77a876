"""任务擂台: publish, claim, submit evidence, review. Acceptance scores points."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.limits import storage_add
from core.errors import Forbidden, Refused
from toolkit.arena.models import HOLDING_PLACE, Claim, ClaimStatus, Evidence, Task, TaskStatus
from toolkit.arena.selectors import claim_reviewable_by, task_managed_by, task_publishable_by
from toolkit.org.models import Member, OrgUnit
from toolkit.points.models import RuleCode
from toolkit.points.services import PointsRefused, points_award
from toolkit.uploads import checked_upload, file_write_after_commit

MAX_FILES = 5


class ArenaRefused(Refused):
    """Something a member or secretary may not do now; the message says why."""


@transaction.atomic
def task_publish(*, publisher: OrgUnit, title: str, description: str, points: int, deadline,
                 places: int, by) -> Task:
    if not task_publishable_by(user=by, unit=publisher):
        raise Forbidden
    if deadline <= timezone.now():
        raise ArenaRefused(_("截止时间必须晚于现在。"), code="deadline_in_past")
    if places < 1 or points < 1:
        raise ArenaRefused(_("名额和积分至少为 1。"), code="places_or_points_below_one")
    return Task.objects.create(publisher=publisher, title=title.strip(),
                               description=description.strip(), points=points,
                               deadline=deadline, places=places, created_by=by)


@transaction.atomic
def task_claim(*, task: Task, member: Member) -> Claim:
    task = Task.objects.select_for_update().get(pk=task.pk)  # places are counted under lock
    if task.status != TaskStatus.OPEN or task.deadline <= timezone.now():
        raise ArenaRefused(_("这个任务已经结束了。"), code="task_closed")
    if Claim.objects.filter(task=task, member=member).exists():
        raise ArenaRefused(_("你已经认领过这个任务。"), code="task_already_claimed")
    if Claim.objects.filter(task=task, status__in=HOLDING_PLACE).count() >= task.places:
        raise ArenaRefused(_("名额已满。"), code="task_full")
    return Claim.objects.create(task=task, member=member)


@transaction.atomic
def claim_submit(*, claim: Claim, member: Member, text: str, files: list, at=None) -> Claim:
    """`at` dates the submission (default now; the demo seeds the past with it)."""
    at = at or timezone.now()
    claim = Claim.objects.select_for_update().select_related("task").get(pk=claim.pk)
    if claim.member_id != member.pk:
        raise Forbidden
    if claim.status not in (ClaimStatus.CLAIMED, ClaimStatus.RETURNED):
        raise ArenaRefused(_("这个任务现在不能提交。"), code="claim_not_submittable")
    if claim.task.deadline <= at:
        raise ArenaRefused(_("已过截止时间。"), code="deadline_passed")
    if not text.strip() and not files:
        raise ArenaRefused(_("请写明完成情况或上传材料。"), code="evidence_missing")
    if len(files) > MAX_FILES:
        raise ArenaRefused(_("最多上传 %(n)s 个文件。") % {"n": MAX_FILES}, code="too_many_files")
    checked = [(upload, checked_upload(upload)) for upload in files]  # all, before any is kept
    storage_add(size=sum(upload.size for upload in files))  # the plan's storage (billing)
    for upload, content_type in checked:
        evidence = Evidence(claim=claim, name=upload.name[:200], content_type=content_type,
                            size=upload.size)
        file_write_after_commit(instance=evidence, field="file", upload=upload)
        evidence.save()
    claim.evidence_text = text.strip()
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = at
    claim.save()
    return claim


@transaction.atomic
def claim_review(*, claim: Claim, reviewer, accept: bool, note: str = "", at=None) -> Claim:
    """`at` dates the review and the points it scores (default now; for seeding the past)."""
    at = at or timezone.now()
    claim = Claim.objects.select_for_update().select_related("task", "member").get(pk=claim.pk)
    if not claim_reviewable_by(user=reviewer, claim=claim):
        raise Forbidden
    if claim.member.user_id == reviewer.pk:
        raise ArenaRefused(_("不能审核自己的任务，请由其他书记或管理员审核。"),
                           code="own_claim_review")
    if claim.status != ClaimStatus.SUBMITTED:
        raise ArenaRefused(_("这份提交已经审核过了。"), code="claim_already_reviewed")
    if not accept and not note.strip():
        raise ArenaRefused(_("退回时请写明原因。"), code="return_reason_missing")
    claim.status = ClaimStatus.ACCEPTED if accept else ClaimStatus.RETURNED
    claim.reviewed_by, claim.reviewed_at, claim.review_note = reviewer, at, note
    claim.save()
    if accept:
        try:
            points_award(member=claim.member, rule=RuleCode.TASK_ACCEPTED,
                         amount=claim.task.points, source=claim, note=claim.task.title, at=at)
        except PointsRefused as refusal:
            raise ArenaRefused(str(refusal), code=refusal.code) from refusal
    return claim


@transaction.atomic
def task_close(*, task: Task, by) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)  # against a claim at the same time
    if not task_managed_by(user=by, task=task):
        raise Forbidden
    if task.status != TaskStatus.OPEN:
        raise ArenaRefused(_("这个任务已经结束了。"), code="task_closed")
    task.status = TaskStatus.CLOSED
    task.save(update_fields=["status"])
    return task
