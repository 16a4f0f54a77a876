"""Reads of the catalogue. The first five are the contract other branches code against
(TRAINING.md): keep their names and arguments. Who sees what: staff see every company; a
trainer sees the companies of their batches (BatchTrainer), and no other."""

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from core.roles import Role
from tenants.models import Company
from training.models import (
    BatchTrainer,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    Question,
    VersionStatus,
)

# onboarding sits above training: its batch model is reached through the relation, not imported.
Batch = BatchTrainer._meta.get_field("batch").related_model


def version_published_latest(*, course: Course) -> CourseVersion | None:
    return (CourseVersion.objects.filter(course=course, status=VersionStatus.PUBLISHED)
            .order_by("-number").first())


def lessons_of(*, version: CourseVersion) -> QuerySet[Lesson]:
    return (Lesson.objects.filter(chapter__version=version).select_related("chapter")
            .order_by("chapter__order", "chapter__id", "order", "id"))


def published_lessons(*, version: CourseVersion) -> list[Lesson]:
    """A version's lessons in order, with their chapters. A published version never changes,
    and every company that has the course reads it: it is cached once, in the shared alias
    (not per company, as the default cache's keys are), for as long as the cache keeps it."""
    if version.status != VersionStatus.PUBLISHED:
        return list(lessons_of(version=version))
    shared = caches["shared"]
    key = f"training:lessons:{version.pk}"
    lessons = shared.get(key)
    if lessons is None:
        lessons = list(lessons_of(version=version))
        shared.set(key, lessons, timeout=None)
    return lessons


def deliveries_for_company(*, company: Company) -> QuerySet[Delivery]:
    """Live deliveries naming the company or the batch it is in (withdrawn ones left out)."""
    return (Delivery.objects.filter(withdrawn_at__isnull=True)
            .filter(Q(companies=company) | Q(batches__enrolments__company=company))
            .select_related("course").distinct())


def courses_open() -> QuerySet[Course]:
    return (Course.objects.filter(retired_at__isnull=True, open_to_adopt=True,
                                  versions__status=VersionStatus.PUBLISHED).distinct())


def lesson_question_pool(*, lesson: Lesson) -> QuerySet[Question]:
    """The questions an attempt draws from: those not retired. A question retired because an
    edit replaced it stays in the pools of published versions (their content never changes, and
    an exam must still find the N questions it draws); one withdrawn outright leaves them
    (question_retire refuses when that would leave a published pool too small)."""
    return lesson.questions.filter(Q(retired_at__isnull=True) | Q(replaced_by__isnull=False))


# --- the trainers' workspace ---------------------------------------------------------------

def sees_everything(*, user) -> bool:
    return user.is_superuser or user.role == Role.STAFF


def batches_visible(*, user) -> QuerySet:
    batches = Batch.objects.order_by("-starts_on", "name")
    return batches if sees_everything(user=user) else batches.filter(trainers__trainer=user)


def companies_visible(*, user) -> QuerySet[Company]:
    companies = Company.objects.exclude(schema_name=get_public_schema_name()).order_by("name")
    if sees_everything(user=user):
        return companies
    return companies.filter(enrolment__batch__trainers__trainer=user).distinct()


def courses(*, category: str = "", tag: str = "", retired: bool | None = None,
            q: str = "") -> QuerySet[Course]:
    found = Course.objects.annotate(
        published_count=Count("versions", filter=Q(versions__status=VersionStatus.PUBLISHED)))
    if category:
        found = found.filter(category=category)
    if tag:
        found = found.filter(tags__icontains=tag.strip())
    if retired is not None:
        found = found.filter(retired_at__isnull=not retired)
    if q:
        found = found.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return found.order_by("-created_at", "-id")


def version_draft(*, course: Course) -> CourseVersion | None:
    return CourseVersion.objects.filter(course=course, status=VersionStatus.DRAFT).first()


def questions(*, kind: str = "", category: str = "", tag: str = "", q: str = "",
              retired: bool = False) -> QuerySet[Question]:
    found = Question.objects.filter(retired_at__isnull=not retired)
    if kind:
        found = found.filter(kind=kind)
    if category:
        found = found.filter(category=category)
    if tag:
        found = found.filter(tags__icontains=tag.strip())
    if q:
        found = found.filter(text__icontains=q)
    return found


def question_in_published(*, question: Question) -> bool:
    return question.lessons.filter(chapter__version__status=VersionStatus.PUBLISHED).exists()


def deliveries_visible(*, user, course: Course | None = None) -> QuerySet[Delivery]:
    """Deliveries a trainer made or that reach one of their batches or companies; all for staff."""
    found = Delivery.objects.select_related("course").prefetch_related("batches", "companies")
    if course is not None:
        found = found.filter(course=course)
    if sees_everything(user=user):
        return found
    return found.filter(Q(created_by=user) | Q(batches__trainers__trainer=user)
                        | Q(companies__enrolment__batch__trainers__trainer=user)).distinct()


def deliveries_shown(*, user, course: Course | None = None, limit: int = 200) -> list[Delivery]:
    """Deliveries as a page lists them: each with `shown_batches` and `shown_companies`, the
    targets the viewer may see (a delivery staff made to several batches shows a trainer only
    their own batches and companies, never the others' names)."""
    rows = list(deliveries_visible(user=user, course=course)[:limit])
    everything = sees_everything(user=user)
    batch_ids = set() if everything else set(
        batches_visible(user=user).values_list("pk", flat=True))
    company_ids = set() if everything else set(
        companies_visible(user=user).values_list("pk", flat=True))
    for row in rows:
        row.shown_batches = [b for b in row.batches.all() if everything or b.pk in batch_ids]
        row.shown_companies = [c for c in row.companies.all()
                               if everything or c.pk in company_ids]
    return rows


def trainers() -> QuerySet[User]:
    return (User.objects.filter(role=Role.TRAINER).order_by("full_name", "username")
            .prefetch_related("trainer_batches__batch"))
