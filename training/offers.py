"""Member lessons offered up by companies (共享党课 → the incubator): the public services a
company's offer calls (run in the company's request, its file copied into the shared storage)
and a trainer's adoption, which copies the offer into a new course draft with credit to the
company and lecturer. Training cannot import toolkit: the company side passes plain values."""

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from training.models import (
    Category,
    Chapter,
    Course,
    CourseVersion,
    Lesson,
    OfferedLesson,
    VersionStatus,
)


class OfferRefused(Refused):
    """An offer that is already there, or already adopted."""


@transaction.atomic
def lesson_offer_store(*, company, source_uid, company_name: str, lecturer_name: str,
                       title: str, summary: str, topic: str, kind: str, media_type: str,
                       duration_seconds: int, handle, filename: str) -> OfferedLesson:
    """Stores a company's offer once; the file's bytes are copied into the shared storage."""
    if OfferedLesson.objects.filter(company=company, source_uid=source_uid).exists():
        raise OfferRefused(_("这节微党课已经提供给孵化器。"), code="lesson_already_offered")
    offer = OfferedLesson(company=company, source_uid=source_uid, company_name=company_name,
                          lecturer_name=lecturer_name, title=title, summary=summary,
                          topic=topic, kind=kind, media_type=media_type,
                          duration_seconds=duration_seconds)
    offer.media.save(filename, File(handle), save=False)
    offer.media_bytes = offer.media.size
    offer.save()
    return offer


def offers_waiting():
    return OfferedLesson.objects.filter(adopted_at__isnull=True).order_by("-offered_at")


@transaction.atomic
def offered_lesson_adopt(*, offer: OfferedLesson, by) -> Course:
    """A new course (a draft the trainer edits and publishes) with the offer as its one lesson;
    the company and lecturer are credited in the course's summary."""
    offer = OfferedLesson.objects.select_for_update().get(pk=offer.pk)
    if offer.adopted_at is not None:
        raise OfferRefused(_("这节课已经被采用。"), code="offer_already_adopted")
    credit = _("来源：%(company)s %(lecturer)s 的微党课") % {
        "company": offer.company_name, "lecturer": offer.lecturer_name}
    course = Course.objects.create(title=offer.title, category=Category.OTHER,
                                   tags=offer.topic, summary=f"{offer.summary}\n\n{credit}".strip(),
                                   created_by=by)
    version = CourseVersion.objects.create(course=course, number=1, status=VersionStatus.DRAFT)
    chapter = Chapter.objects.create(version=version, title=offer.topic or offer.title, order=1)
    lesson = Lesson(chapter=chapter, order=1, kind=offer.kind, title=offer.title,
                    media_type=offer.media_type, duration_seconds=offer.duration_seconds,
                    body_html="")
    with offer.media.open("rb") as handle:  # a copy: the offer keeps its own file
        lesson.media.save(offer.media.name.rsplit("/", 1)[-1], File(handle), save=False)
    lesson.media_bytes = offer.media_bytes
    lesson.save()
    offer.adopted_at, offer.adopted_by, offer.adopted_course = timezone.now(), by, course
    offer.save(update_fields=["adopted_at", "adopted_by", "adopted_course"])
    return course
