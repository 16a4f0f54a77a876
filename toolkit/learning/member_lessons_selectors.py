"""Reading member lessons (共享党课): the published library ranked by completions and views,
a lecturer's lessons, what a reviewer has waiting, and the stable QR targets."""

from django.db.models import QuerySet

from accounts.models import Role
from toolkit.learning.models import MemberLesson, MemberLessonStatus, MemberLessonView
from toolkit.org.models import Member
from toolkit.org.selectors import managed_unit_ids

RANKINGS = {"completions": ["-completion_count", "-view_count", "-published_at"],
            "views": ["-view_count", "-completion_count", "-published_at"],
            "new": ["-published_at"]}


def library(*, order: str = "completions", topic: str = "") -> QuerySet[MemberLesson]:
    lessons = (MemberLesson.objects.filter(status=MemberLessonStatus.APPROVED)
               .select_related("lecturer__user"))
    if topic:
        lessons = lessons.filter(topic=topic)
    return lessons.order_by(*RANKINGS.get(order, RANKINGS["completions"]))


def topics() -> list[str]:
    return list(MemberLesson.objects.filter(status=MemberLessonStatus.APPROVED)
                .order_by("topic").values_list("topic", flat=True).distinct())


def lessons_of_lecturer(*, lecturer: Member, published_only: bool) -> QuerySet[MemberLesson]:
    lessons = MemberLesson.objects.filter(lecturer=lecturer)
    if published_only:
        lessons = lessons.filter(status=MemberLessonStatus.APPROVED)
    return lessons.order_by("-created_at")


def lessons_to_review(*, user) -> QuerySet[MemberLesson]:
    """Pending lessons this user may review: every one for the admin, the lessons of the
    branches a secretary runs; never their own."""
    pending = (MemberLesson.objects.filter(status=MemberLessonStatus.PENDING)
               .select_related("lecturer__user", "unit").order_by("created_at"))
    if user.role != Role.COMPANY_ADMIN:
        pending = pending.filter(unit_id__in=managed_unit_ids(user=user))
    return pending.exclude(lecturer__user_id=user.pk)


def lesson_by_uid(*, uid) -> MemberLesson | None:
    return MemberLesson.objects.filter(uid=uid).select_related("lecturer__user").first()


def view_of(*, lesson: MemberLesson, member: Member) -> MemberLessonView | None:
    return MemberLessonView.objects.filter(lesson=lesson, member=member).first()
