"""扫码党课 offline: a member saves a lesson (the catalogue's, or a colleague's member lesson)
on their phone (the service worker caches its
page, media and cover), plays it with the network off, and the heartbeats the player queued
meanwhile are synced later. Each queued beat carries the phone's own id: the database keeps
one row per id, so a replayed sync counts once. What it claims is checked (the lesson is one
the member takes and saved, no position beyond its length, no time in the future or before
the save) and then goes through the same heartbeat as online playback: completion, 学时 and
points as online."""

import datetime
import math
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.learning import member_lessons, selectors
from toolkit.learning.member_lessons_selectors import lesson_by_uid
from toolkit.learning.models import Enrolment, MemberLesson, OfflineBeat, OfflineSave
from toolkit.learning.services import enrolment_start, lesson_heartbeat
from toolkit.org.models import Member
from training.models import TIMED_KINDS, Lesson

# A phone's clock may run a little ahead of the server's; more than this is not a clock.
CLOCK_SKEW = datetime.timedelta(minutes=2)
# The page sends its queue 500 beats at a time (~80 minutes of playback at one beat per
# 10 s); an app may send more, up to this, per request.
SYNC_MAX_ITEMS = 1000


class OfflineRefused(Refused):
    """Why a saved lesson or a queued beat is not accepted."""


def _not_yours() -> OfflineRefused:
    return OfflineRefused(_("这不是你正在学习的课时。"), code="offline_lesson_not_yours")


@dataclass
class Target:
    """The lesson a save or a beat is for: a catalogue lesson on the member's enrolment, or a
    member lesson they may watch."""

    lesson: Lesson | None = None
    enrolment: Enrolment | None = None
    member_lesson: MemberLesson | None = None

    @property
    def length(self) -> int:
        return (self.lesson or self.member_lesson).duration_seconds

    @property
    def timed(self) -> bool:
        # Member lessons are always video or audio.
        return bool(self.length) and (self.lesson is None or self.lesson.kind in TIMED_KINDS)

    @property
    def rows(self) -> dict:
        return {"lesson_id": self.lesson.pk if self.lesson else None,
                "member_lesson_id": self.member_lesson.pk if self.member_lesson else None}


def course_lesson_target(*, member: Member, course_id: int, lesson_id: int,
                         start: bool = False) -> Target:
    """The member's enrolment and the lesson of its pinned version; anything else (another
    member's or company's course, a lesson of another version) is not theirs."""
    enrolment = selectors.enrolment_of(member=member, course_id=course_id)
    if enrolment is not None and start:
        enrolment = enrolment_start(enrolment=enrolment)
    lesson = None
    if enrolment is not None and enrolment.version_id is not None:
        lesson = selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
    if lesson is None:
        raise _not_yours()
    return Target(lesson=lesson, enrolment=enrolment)


def member_lesson_target(*, member: Member, uid) -> Target:
    """A member lesson of this company the member may watch (published, or their own)."""
    lesson = lesson_by_uid(uid=uid)
    if lesson is None or not member_lessons.may_watch(user=member.user, member=member,
                                                      lesson=lesson):
        raise _not_yours()
    return Target(member_lesson=lesson)


@transaction.atomic
def lesson_offline_save(*, member: Member, target: Target,
                        now: datetime.datetime | None = None) -> datetime.datetime:
    """Records that the member saved the lesson and returns when; the first save counts
    (progress queued after a removal and a second save is still after the first)."""
    save, _created = OfflineSave.objects.get_or_create(
        member=member, **target.rows, defaults={"saved_at": now or timezone.now()})
    return save.saved_at


@dataclass
class SyncResult:
    id: str
    status: str  # accepted, duplicate or refused
    code: str = ""


def _played_at(value) -> datetime.datetime:
    """The phone's time: ISO 8601 with an offset, or milliseconds since the epoch."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or timezone.is_naive(parsed):
        raise ValueError(value)
    return parsed


@transaction.atomic
def offline_beat_record(*, member: Member, target: Target, client_id: uuid.UUID,
                        position_seconds: float, played_at: datetime.datetime,
                        now: datetime.datetime | None = None) -> bool:
    """One queued beat: checked, kept under its id, and credited like an online beat at the
    time it was played. False when that id was already counted (a replay)."""
    now = now or timezone.now()
    if played_at > now + CLOCK_SKEW:
        raise OfflineRefused(_("学习时间晚于当前时间。"), code="offline_progress_future")
    if not target.timed:
        raise OfflineRefused(_("该课时不是音视频。"), code="offline_lesson_not_timed")
    if position_seconds < 0 or position_seconds > target.length:
        raise OfflineRefused(_("播放位置超出了课时长度。"), code="offline_progress_too_long")
    saved = OfflineSave.objects.filter(member=member, **target.rows).first()
    if saved is None:
        raise OfflineRefused(_("这个课时没有保存到离线。"), code="offline_lesson_not_saved")
    if played_at < saved.saved_at - CLOCK_SKEW:
        raise OfflineRefused(_("学习时间早于保存离线的时间。"), code="offline_progress_before_save")
    try:
        with transaction.atomic():  # a savepoint: the replay's failed insert ends only itself
            OfflineBeat.objects.create(member=member, client_id=client_id, **target.rows,
                                       position_seconds=int(position_seconds),
                                       played_at=played_at)
    except IntegrityError:
        return False
    if target.lesson is not None:
        lesson_heartbeat(enrolment=target.enrolment, lesson=target.lesson,
                         position_seconds=position_seconds, now=played_at)
    else:
        member_lessons.member_lesson_heartbeat(lesson=target.member_lesson, member=member,
                                               position_seconds=position_seconds, now=played_at)
    return True


def _item(item) -> tuple:
    """(played at, client id, how to find the lesson, position) of one queued item:
    `{id, at, position, course, lesson}` or `{id, at, position, member_lesson: uid}`."""
    if "member_lesson" in item:
        where = ("member", uuid.UUID(str(item["member_lesson"])))
    else:
        where = ("course", int(item["course"]), int(item["lesson"]))
    position = float(item["position"])
    if not math.isfinite(position):
        raise ValueError(position)
    return (_played_at(item["at"]), uuid.UUID(str(item["id"])), where, position)


def _target_of(member: Member, where: tuple, found: dict) -> Target:
    if where not in found:
        try:
            found[where] = (member_lesson_target(member=member, uid=where[1])
                            if where[0] == "member" else
                            course_lesson_target(member=member, course_id=where[1],
                                                 lesson_id=where[2]))
        except Refused as refusal:
            found[where] = refusal
    if isinstance(found[where], Refused):
        raise found[where]
    return found[where]


def offline_progress_sync(*, member: Member, items: list,
                          now: datetime.datetime | None = None) -> list[SyncResult]:
    """A phone's queue, oldest first once sorted (the server credits the time between
    beats). Each item is accepted, a duplicate, or refused with a code; one item's refusal
    does not stop the others (each is its own transaction)."""
    if not isinstance(items, list):
        raise OfflineRefused(_("同步的内容无法读取。"), code="offline_sync_invalid")
    if len(items) > SYNC_MAX_ITEMS:
        raise OfflineRefused(_("一次同步的记录太多。"), code="offline_sync_too_many")
    now = now or timezone.now()
    parsed, results, found = [], [], {}
    for item in items:
        raw_id = str(item.get("id", ""))[:64] if isinstance(item, dict) else ""
        try:
            parsed.append((*_item(item), raw_id))
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError):
            results.append(SyncResult(raw_id, "refused", "offline_item_invalid"))
    parsed.sort(key=lambda row: row[0])
    for played_at, client_id, where, position, raw_id in parsed:
        try:
            counted = offline_beat_record(member=member, target=_target_of(member, where, found),
                                          client_id=client_id, position_seconds=position,
                                          played_at=played_at, now=now)
        except Refused as refusal:
            results.append(SyncResult(raw_id, "refused", refusal.code))
        else:
            results.append(SyncResult(raw_id, "accepted" if counted else "duplicate"))
    return results
