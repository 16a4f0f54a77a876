"""Writes of the groups: founding one, nominating and deciding, publishing works, following."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.limits import storage_add
from core.errors import Forbidden, Refused
from toolkit.groups import selectors
from toolkit.groups.models import (
    Follow,
    Group,
    Membership,
    Nomination,
    NominationStatus,
    Work,
)
from toolkit.org.models import Member
from toolkit.org.selectors import member_for_user
from toolkit.uploads import ALLOWED, checked_upload, file_write_after_commit

# What a work may carry: the usual images and PDFs, and a short MP4 clip (a longer video is a
# 微党课 of its own, linked to the work).
WORK_FILE_TYPES = ALLOWED | {"video/mp4"}
WORK_FILE_MAX_BYTES = 30 * 1024 * 1024


class GroupRefused(Refused):
    pass


@transaction.atomic
def group_create(*, by, name: str, kind: str, theme: str, leader: Member) -> Group:
    """The committee founds a group; its leader is its first member."""
    if not selectors.may_manage_groups(user=by):
        raise Forbidden
    name = name.strip()
    if Group.objects.filter(name=name).exists():
        raise GroupRefused(_("已有同名群组。"), code="group_name_taken",
                           fields={"name": [_("已有同名群组。")]})
    group = Group.objects.create(name=name, kind=kind, theme=theme.strip(), leader=leader)
    Membership.objects.create(group=group, member=leader)
    return group


@transaction.atomic
def nomination_create(*, by, group: Group, member: Member, reason: str) -> Nomination:
    """Anyone in the company may put a member forward (themselves too); the committee decides."""
    if selectors.is_in_group(group=group, member=member):
        raise GroupRefused(_("此党员已在群组中。"), code="group_member_already")
    if Nomination.objects.filter(group=group, member=member,
                                 status=NominationStatus.PENDING).exists():
        raise GroupRefused(_("此党员已被提名，等待党委审批。"), code="nomination_pending")
    try:
        with transaction.atomic():
            return Nomination.objects.create(group=group, member=member, reason=reason.strip(),
                                             nominated_by=by)
    except IntegrityError as error:  # the same form sent twice at once
        raise GroupRefused(_("此党员已被提名，等待党委审批。"),
                           code="nomination_pending") from error


@transaction.atomic
def nomination_decide(*, by, nomination: Nomination, approve: bool) -> Nomination:
    """The committee approves (the member joins the group) or declines a nomination."""
    if not selectors.may_decide_nominations(user=by):
        raise Forbidden
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.PENDING:
        raise GroupRefused(_("此提名已处理。"), code="nomination_decided")
    nomination.status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
    nomination.decided_by = by
    nomination.decided_at = timezone.now()
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        Membership.objects.get_or_create(group=nomination.group, member=nomination.member)
    return nomination


def lesson_not_yours(field: str = "member_lesson") -> GroupRefused:
    return GroupRefused(_("只能关联自己已发布的微党课。"), code="work_lesson_not_yours",
                        fields={field: [_("只能关联自己已发布的微党课。")]})


@transaction.atomic
def work_publish(*, by, group: Group, kind: str, title: str, body: str = "", upload=None,
                 member_lesson=None) -> Work:
    """A member of the group publishes a work: text, a file judged by its content, and/or one
    of their own published 微党课."""
    author = member_for_user(user=by)
    if author is None or not selectors.is_in_group(group=group, member=author):
        raise Forbidden(_("只有群组成员可以发布作品。"))
    if member_lesson is not None and not selectors.linkable_lessons(member=author).filter(
            pk=member_lesson.pk).exists():
        raise lesson_not_yours()
    if not body.strip() and upload is None and member_lesson is None:
        raise GroupRefused(_("请填写内容、上传附件或关联微党课。"), code="work_empty")
    file_type = ""
    if upload is not None:
        file_type = checked_upload(upload, allowed=WORK_FILE_TYPES,
                                   max_bytes=WORK_FILE_MAX_BYTES)
    work = Work(group=group, author=author, kind=kind, title=title.strip(), body=body.strip(),
                file_type=file_type, member_lesson=member_lesson)
    if upload is not None:
        storage_add(size=upload.size)  # the plan's storage (billing), before the file is kept
        work.size = upload.size
        file_write_after_commit(instance=work, field="file", upload=upload)
    work.save()
    return work


@transaction.atomic
def group_follow(*, member: Member, group: Group, follow: bool = True) -> None:
    """Following is idempotent: twice is once, unfollowing what one never followed is nothing."""
    if follow:
        Follow.objects.get_or_create(group=group, member=member)
    else:
        Follow.objects.filter(group=group, member=member).delete()
