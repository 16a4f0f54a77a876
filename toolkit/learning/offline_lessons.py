"""扫码党课 offline: a member saves a lesson on their phone (the service worker caches its
page, media and cover), plays it with the network off, and the heartbeats the player queued
meanwhile are synced later. Each queued beat carries the phone's own id: the database keeps
one row per id, so a replayed sync counts once. What it claims is checked (the lesson is one
the member takes and saved, no position beyond its length, no time in the future or before
the save) and then goes through the same heartbeat as online playback: completion, 学时 and
points as online."""

import datetime
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.learning import selectors
from toolkit.learning.models import Enrolment, OfflineBeat, OfflineSave
from toolkit.learning.services import enrolment_start, lesson_heartbeat
from toolkit.org.models import Member
from training.models import TIMED_KINDS, Lesson

# A phone's clock may run a little ahead of the server's; more than this is not a clock.
CLOCK_SKEW = datetime.timedelta(minutes=2)
# One sync is one phone's queue: a day of offline listening beats every 10 s is ~8,600.
SYNC_MAX_ITEMS = 1000


class OfflineRefused(Refused):
    """Why a saved lesson or a queued beat is not accepted."""


@dataclass
class Saved:
    enrolment: Enrolment
    lesson: Lesson
    saved_at: datetime.datetime


def _lesson_of(*, member: Member, course_id: int, lesson_id: int,
               start: bool = False) -> tuple[Enrolment, Lesson]:
    """The member's enrolment and the lesson of its pinned version; anything else (another
    member's or company's course, a lesson of another version) is not theirs."""
    enrolment = selectors.enrolment_of(member=member, course_id=course_id)
    if enrolment is not None and start:
        enrolment = enrolment_start(enrolment=enrolment)
    lesson = None
    if enrolment is not None and enrolment.version_id is not None:
        lesson = selectors.lesson_in_version(version=enrolment.version, lesson_id=lesson_id)
    if lesson is None:
        raise OfflineRefused(_("这不是你正在学习的课时。"), code="offline_lesson_not_yours")
    return enrolment, lesson


@transaction.atomic
def lesson_offline_save(*, member: Member, course_id: int, lesson_id: int,
                        now: datetime.datetime | None = None) -> Saved:
    """Records that the member saved the lesson (the first time counts: progress queued after
    a removal and a second save is still after the first)."""
    enrolment, lesson = _lesson_of(member=member, course_id=course_id, lesson_id=lesson_id,
                                   start=True)
    save, _created = OfflineSave.objects.get_or_create(
        member=member, lesson_id=lesson.pk, defaults={"saved_at": now or timezone.now()})
    return Saved(enrolment, lesson, save.saved_at)


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
def offline_beat_record(*, member: Member, client_id: uuid.UUID, course_id: int,
                        lesson_id: int, position_seconds: int, played_at: datetime.datetime,
                        now: datetime.datetime | None = None) -> bool:
    """One queued beat: checked, kept under its id, and credited like an online beat at the
    time it was played. False when that id was already counted (a replay)."""
    now = now or timezone.now()
    if played_at > now + CLOCK_SKEW:
        raise OfflineRefused(_("学习时间晚于当前时间。"), code="offline_progress_future")
    enrolment, lesson = _lesson_of(member=member, course_id=course_id, lesson_id=lesson_id)
    if lesson.kind not in TIMED_KINDS or not lesson.duration_seconds:
        raise OfflineRefused(_("该课时不是音视频。"), code="offline_lesson_not_timed")
    if position_seconds < 0 or position_seconds > lesson.duration_seconds:
        raise OfflineRefused(_("播放位置超出了课时长度。"), code="offline_progress_too_long")
    saved = OfflineSave.objects.filter(member=member, lesson_id=lesson.pk).first()
    if saved is None:
        raise OfflineRefused(_("这个课时没有保存到离线。"), code="offline_lesson_not_saved")
    if played_at < saved.saved_at - CLOCK_SKEW:
        raise OfflineRefused(_("学习时间早于保存离线的时间。"), code="offline_progress_before_save")
    try:
        with transaction.atomic():  # a savepoint: the replay's failed insert ends only itself
            OfflineBeat.objects.create(member=member, client_id=client_id, lesson_id=lesson.pk,
                                       position_seconds=position_seconds, played_at=played_at)
    except IntegrityError:
        return False
    lesson_heartbeat(enrolment=enrolment, lesson=lesson, position_seconds=position_seconds,
                     now=played_at)
    return True


def offline_progress_sync(*, member: Member, items: list,
                          now: datetime.datetime | None = None) -> list[SyncResult]:
    """A phone's queue, `[{id, course, lesson, position, at}, …]`, oldest first (the server
    credits the time between beats). Each item is accepted, a duplicate, or refused with a
    code; one item's refusal does not stop the others (each is its own transaction)."""
    if not isinstance(items, list):
        raise OfflineRefused(_("同步的内容无法读取。"), code="offline_sync_invalid")
    if len(items) > SYNC_MAX_ITEMS:
        raise OfflineRefused(_("一次同步的记录太多。"), code="offline_sync_too_many")
    now = now or timezone.now()
    parsed, results = [], []
    for item in items:
        raw_id = str(item.get("id", ""))[:64] if isinstance(item, dict) else ""
        try:
            parsed.append((_played_at(item["at"]), uuid.UUID(raw_id), int(item["course"]),
                           int(item["lesson"]), int(float(item["position"])), raw_id))
        except (KeyError, TypeError, ValueError, OverflowError):
            results.append(SyncResult(raw_id, "refused", "offline_item_invalid"))
    parsed.sort(key=lambda row: row[0])
    for played_at, client_id, course_id, lesson_id, position, raw_id in parsed:
        try:
            counted = offline_beat_record(member=member, client_id=client_id,
                                          course_id=course_id, lesson_id=lesson_id,
                                          position_seconds=position, played_at=played_at,
                                          now=now)
        except Refused as refusal:
            results.append(SyncResult(raw_id, "refused", refusal.code))
        else:
            results.append(SyncResult(raw_id, "accepted" if counted else "duplicate"))
    return results
