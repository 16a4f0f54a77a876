"""共享党课: members' own short lessons (微党课). Upload (checked by content, size and length),
review by the lecturer's branch secretary or the admin (never by the lecturer), the player's
heartbeats, and points through the hub: the lecturer's when approved (`lesson_approved`), a
sharer's when a colleague watches ≥ 90 % through their share link (`lesson_shared`), once per
colleague per lesson (docs/decisions/0020-sharedlessons-member-lessons.md)."""

import uuid
from dataclasses import dataclass

from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from billing.limits import storage_add
from core.errors import Forbidden, Refused
from toolkit.learning import coverage
from toolkit.learning.models import (
    MemberLesson,
    MemberLessonStatus,
    MemberLessonView,
)
from toolkit.org.models import Member
from toolkit.org.selectors import unit_managed_by
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award
from training.media_checks import MB, media_checked

MAX_BYTES = {"video": 200 * MB, "audio": 50 * MB}  # a phone's few minutes, with room
MAX_SECONDS = 20 * 60  # a 微党课 is short: twenty minutes at most
WATCHED_SHARE = coverage.WATCHED_SHARE
HEARTBEAT_MAX_CREDIT = coverage.HEARTBEAT_MAX_CREDIT
SHARE_SALT = "learning.member-lesson-share"


class MemberLessonRefused(Refused):
    """A member lesson that cannot be uploaded, reviewed or watched so."""


def _kind_of(upload) -> str:
    """video or audio by the file's first bytes (the name and the browser's type are not
    trusted); media_checked then insists on it."""
    import filetype

    upload.seek(0)
    guessed = filetype.guess(upload.read(8192))
    upload.seek(0)
    return "audio" if guessed and guessed.mime.startswith("audio/") else "video"


@transaction.atomic
def member_lesson_upload(*, member: Member, title: str, summary: str, topic: str,
                         upload) -> MemberLesson:
    kind = _kind_of(upload)
    if upload.size and upload.size > MAX_BYTES[kind]:
        raise MemberLessonRefused(_("文件超过 %(mb)s MB。") % {"mb": MAX_BYTES[kind] // MB},
                                  code="member_lesson_too_large")
    info = media_checked(upload, kind=kind)  # type by content, ffprobe's length
    if info.duration_seconds > MAX_SECONDS:
        raise MemberLessonRefused(_("微党课不超过 %(m)s 分钟。") % {"m": MAX_SECONDS // 60},
                                  code="member_lesson_too_long")
    lesson = MemberLesson(uid=uuid.uuid4(), lecturer=member, unit=member.unit,
                          title=title.strip(), summary=summary.strip(), topic=topic.strip(),
                          kind=kind, media_type=info.mime, media_bytes=info.size,
                          duration_seconds=info.duration_seconds)
    storage_add(size=info.size)  # the plan's storage (billing), in this transaction
    extension = info.mime.rsplit("/", 1)[-1].replace("mpeg", "mp3").replace("x-", "")
    lesson.media.save(f"{lesson.uid.hex}.{extension}", upload, save=False)
    lesson.save()
    return lesson


def may_review(*, user, lesson: MemberLesson) -> bool:
    """The admin, or a secretary over the lecturer's branch; never the lecturer."""
    if lesson.lecturer.user_id == user.pk:
        return False
    return user.role == Role.COMPANY_ADMIN or unit_managed_by(user=user, unit_id=lesson.unit_id)


def may_watch(*, user, member: Member | None, lesson: MemberLesson) -> bool:
    """Published lessons for everyone here; others for their lecturer and their reviewers."""
    return (lesson.status == MemberLessonStatus.APPROVED
            or (member is not None and member.pk == lesson.lecturer_id)
            or may_review(user=user, lesson=lesson))


@transaction.atomic
def member_lesson_review(*, lesson: MemberLesson, by, decision: str,
                         note: str = "") -> MemberLesson:
    """decision: approved, returned (a reason is needed) or rejected."""
    lesson = MemberLesson.objects.select_for_update().select_related("lecturer").get(
        pk=lesson.pk)
    if lesson.lecturer.user_id == by.pk:
        raise MemberLessonRefused(_("不能审核自己的微党课。"), code="member_lesson_own_review")
    if not may_review(user=by, lesson=lesson):
        raise Forbidden(_("只有主讲人所在支部的书记或管理员可以审核。"))
    if lesson.status != MemberLessonStatus.PENDING:
        raise MemberLessonRefused(_("该微党课不在待审核状态。"), code="member_lesson_not_pending")
    if decision not in (MemberLessonStatus.APPROVED, MemberLessonStatus.RETURNED,
                        MemberLessonStatus.REJECTED):
        raise MemberLessonRefused(_("请选择审核结果。"), code="member_lesson_bad_decision")
    if decision != MemberLessonStatus.APPROVED and not note.strip():
        raise MemberLessonRefused(_("退回或不通过时请写明理由。"),
                                  code="member_lesson_reason_needed",
                                  fields={"note": [_("请写明理由。")]})
    now = timezone.now()
    lesson.status, lesson.review_note = decision, note.strip()[:300]
    lesson.reviewed_by, lesson.reviewed_at = by, now
    if decision == MemberLessonStatus.APPROVED:
        lesson.published_at = now
        points_award(member=lesson.lecturer, rule=RuleCode.LESSON_APPROVED, source=lesson,
                     note=lesson.title[:100], at=now)
    lesson.save()
    return lesson


@transaction.atomic
def member_lesson_resubmit(*, lesson: MemberLesson, member: Member, title: str, summary: str,
                           topic: str) -> MemberLesson:
    """The lecturer mends a returned lesson's words and sends it back for review."""
    if lesson.lecturer_id != member.pk or lesson.status != MemberLessonStatus.RETURNED:
        raise MemberLessonRefused(_("只有被退回的微党课可以修改后重新提交。"),
                                  code="member_lesson_not_returned")
    lesson.title, lesson.summary, lesson.topic = title.strip(), summary.strip(), topic.strip()
    lesson.status = MemberLessonStatus.PENDING
    lesson.save(update_fields=["title", "summary", "topic", "status"])
    return lesson


def share_token_make(*, lesson: MemberLesson, sharer: Member) -> str:
    """The share link's token: signed, naming the lesson, the sharer and this company."""
    return signing.dumps({"l": lesson.uid.hex, "m": sharer.pk, "s": connection.schema_name},
                         salt=SHARE_SALT, compress=True)


def share_sharer_of(*, token: str, lesson: MemberLesson) -> Member | None:
    """The member a share token names, if it is valid for this lesson in this company."""
    try:
        data = signing.loads(token, salt=SHARE_SALT)
    except signing.BadSignature:
        return None
    if (not isinstance(data, dict) or data.get("l") != lesson.uid.hex
            or data.get("s") != connection.schema_name):
        return None
    return Member.objects.filter(pk=data.get("m")).first()


@transaction.atomic
def member_lesson_open(*, lesson: MemberLesson, member: Member,
                       sharer: Member | None = None) -> MemberLessonView:
    """A member opens a published lesson (or their own, or one they review): their progress
    row. The first open counts a view; a share link only counts when it is the first."""
    if sharer is not None and sharer.pk == member.pk:
        sharer = None  # a self-view through one's own link brings nobody anything
    view, created = MemberLessonView.objects.get_or_create(
        lesson=lesson, member=member, defaults={"sharer": sharer})
    if created and lesson.status == MemberLessonStatus.APPROVED \
            and lesson.lecturer_id != member.pk:
        MemberLesson.objects.filter(pk=lesson.pk).update(view_count=_plus("view_count"))
    return view


def _plus(field: str):
    from django.db.models import F

    return F(field) + 1


@dataclass
class Beat:
    position: int
    watched: int
    completed: bool


# The training player's statement on the view row (opened first, so it exists).
_HEARTBEAT = """
UPDATE learning_memberlessonview AS p SET
    """ + coverage.COVERAGE_SET + """,
    position_seconds = %(position_floor)s,
    last_heartbeat_at = GREATEST(COALESCE(p.last_heartbeat_at, %(now)s), %(now)s)
WHERE p.lesson_id = %(lesson)s AND p.member_id = %(member)s
RETURNING id, position_seconds, watched_seconds, completed_at,
    COALESCE(bit_count(coverage), 0), sharer_id
"""
_COMPLETE = ("UPDATE learning_memberlessonview SET completed_at = %s "
             "WHERE id = %s AND completed_at IS NULL")


@transaction.atomic
def member_lesson_heartbeat(*, lesson: MemberLesson, member: Member, position_seconds: float,
                            now=None) -> Beat:
    """Credits, as the training player's beat does (toolkit/learning/coverage.py), at most
    the wall-clock time since the last beat (≤ 30 s) and at most how far the position moved,
    in fractions of a second, as the stretch of the media it covers: time paused, a beat at
    the same place, or a stretch watched again counts for nothing. The last beat's time never
    goes back, so an offline beat synced later for a stretch already credited online credits
    nothing. At 90 % of the length covered the view completes, once. The share reward goes
    with the completion."""
    now = now or timezone.now()
    length = lesson.duration_seconds or 1
    params = coverage.beat_params(length=length, now=now,
                                  position=coverage.position_clamped(position_seconds, length))
    with connection.cursor() as cursor:
        cursor.execute(_HEARTBEAT, {"lesson": lesson.pk, "member": member.pk, **params})
        row = cursor.fetchone()
        if row is None:
            raise MemberLessonRefused(_("请先打开这节微党课。"), code="member_lesson_not_opened")
        view_id, position, watched, completed_at, covered, sharer_id = row
        just_completed = False
        if completed_at is None and covered >= coverage.buckets_needed(params["buckets"]):
            cursor.execute(_COMPLETE, [now, view_id])
            just_completed = cursor.rowcount == 1
    if just_completed and lesson.status == MemberLessonStatus.APPROVED \
            and lesson.lecturer_id != member.pk:
        MemberLesson.objects.filter(pk=lesson.pk).update(
            completion_count=_plus("completion_count"))
        if sharer_id and sharer_id != member.pk:
            share_credit(lesson=lesson, viewer=member, sharer_id=sharer_id, at=now)
    return Beat(position, watched, just_completed or completed_at is not None)


def share_credit(*, lesson: MemberLesson, viewer: Member, sharer_id: int, at=None) -> bool:
    """Pays the sharer once for this colleague and lesson: the row is inserted with ON
    CONFLICT DO NOTHING on the unique (lesson, viewer), so of any number of racing calls
    exactly one gets a row back and awards. True when this call paid."""
    if sharer_id == viewer.pk:
        return False
    at = at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO learning_memberlessonsharecredit (lesson_id, viewer_id, sharer_id, "
            "created_at) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
            [lesson.pk, viewer.pk, sharer_id, at])
        if cursor.fetchone() is None:
            return False
    points_award(member=Member.objects.get(pk=sharer_id), rule=RuleCode.LESSON_SHARED,
                 source=lesson, note=lesson.title[:100], at=at)
    return True


def member_lesson_offer(*, lesson: MemberLesson, by):
    """The company admin offers an approved lesson to the incubator: the file is read from the
    company's own storage here, in its schema, and copied into the shared storage by the public
    service (training.offers)."""
    from tenants.selectors import current_company
    from training.offers import lesson_offer_store

    if by.role != Role.COMPANY_ADMIN:
        raise Forbidden(_("只有管理员可以把微党课提供给孵化器。"))
    if lesson.status != MemberLessonStatus.APPROVED:
        raise MemberLessonRefused(_("只有已发布的微党课可以提供给孵化器。"),
                                  code="member_lesson_not_published")
    company = current_company()
    with lesson.media.open("rb") as handle:
        return lesson_offer_store(
            company=company, source_uid=lesson.uid, company_name=company.name,
            lecturer_name=lesson.lecturer.user.full_name, title=lesson.title,
            summary=lesson.summary, topic=lesson.topic, kind=lesson.kind,
            media_type=lesson.media_type, duration_seconds=lesson.duration_seconds,
            handle=handle, filename=lesson.media.name.rsplit("/", 1)[-1])
