"""Quizzes and exams: questions drawn when an attempt starts, answers checked only on submit,
the time limit kept by the server. Nothing the page gets before submitting names an answer."""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit.learning.completion import lesson_done
from toolkit.learning.models import Enrolment, ExamAttempt, LessonProgress
from toolkit.learning.services import (
    LearningRefused,
    enrolment_open_check,
    lesson_in_course_check,
)
from training.models import ASSESSED_KINDS, Lesson, Question, QuestionKind
from training.selectors import lesson_question_pool

# A submission a little after the deadline still counts: the page's own clock and the
# network take a few seconds.
GRACE_SECONDS = 30
DEFAULT_PASS_SCORE = 60


class ExamRefused(LearningRefused):
    pass


def question_pool(*, lesson: Lesson):
    """The catalogue's own rule (training.selectors.lesson_question_pool): a question a trainer
    edited after publishing stays in the published version's pool (the edit is a new question
    for the next version), one withdrawn outright leaves it."""
    return lesson_question_pool(lesson=lesson)


def attempts_left(*, enrolment: Enrolment, lesson: Lesson) -> int | None:
    """None: no limit. Every started attempt counts, submitted or not."""
    if not lesson.attempts_allowed:
        return None
    used = ExamAttempt.objects.filter(enrolment=enrolment, lesson=lesson).count()
    return max(lesson.attempts_allowed - used, 0)


@transaction.atomic
def exam_start(*, enrolment: Enrolment, lesson: Lesson,
               now: datetime.datetime | None = None) -> ExamAttempt:
    """Draws the questions of a new attempt, or returns the attempt still open."""
    lesson_in_course_check(enrolment=enrolment, lesson=lesson)
    if lesson.kind not in ASSESSED_KINDS:
        raise ExamRefused(_("该课时不是测验或考试。"), code="lesson_not_assessed")
    enrolment_open_check(enrolment=enrolment)  # an attempt already open may still be handed in
    now = now or timezone.now()
    # The enrolment's row serialises one member's starts: two tabs cannot both draw.
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    open_attempt = (ExamAttempt.objects.filter(enrolment=enrolment, lesson=lesson,
                                               submitted_at__isnull=True)
                    .order_by("-started_at").first())
    if open_attempt is not None and (open_attempt.deadline is None
                                     or open_attempt.deadline > now):
        return open_attempt
    if LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson,
                                     completed_at__isnull=False).exists():
        raise ExamRefused(_("你已通过该考试。"), code="exam_already_passed")
    if attempts_left(enrolment=enrolment, lesson=lesson) == 0:
        raise ExamRefused(_("考试次数已用完。"), code="exam_attempts_exhausted")
    pool = list(question_pool(lesson=lesson).values_list("pk", flat=True))
    if not pool:
        raise ExamRefused(_("题库中还没有试题。"), code="exam_no_questions")
    drawn = random.sample(pool, min(lesson.question_count or len(pool), len(pool)))
    deadline = (now + datetime.timedelta(minutes=lesson.time_limit_minutes)
                if lesson.time_limit_minutes else None)
    return ExamAttempt.objects.create(enrolment=enrolment, lesson=lesson, question_ids=drawn,
                                      started_at=now, deadline=deadline)


def attempt_questions(*, attempt: ExamAttempt) -> list[Question]:
    """The drawn questions in the order drawn (the page shows text and options only)."""
    found = Question.objects.in_bulk(attempt.question_ids)
    return [found[pk] for pk in attempt.question_ids if pk in found]


@dataclass
class Marked:
    question: Question
    given: list
    correct: bool

    @property
    def given_text(self) -> str:
        """The member's own answer as they read it; "" when they gave none."""
        return answer_text(self.question, self.given)

    @property
    def answer_text(self) -> str:
        question = self.question
        if question.kind == QuestionKind.FILL:
            return " / ".join(str(text).strip() for text in question.answer)
        return answer_text(question, _normal(question.kind, question.answer))


_LETTERS = "ABCDEFGHIJ"


def answer_text(question: Question, values: list) -> str:
    """Normalised answer values (option indices, [bool], texts) as the member read them: the
    exam shows options in their own order, lettered A, B, …"""
    if question.kind == QuestionKind.TRUE_FALSE:
        return (_("对") if values[0] else _("错")) if values else ""
    if question.kind == QuestionKind.FILL:
        return " / ".join(str(v) for v in values)
    options = question.options or []
    return "、".join(f"{_LETTERS[i]}. {options[i]}" for i in values
                    if 0 <= i < len(options) and i < len(_LETTERS))


@dataclass
class ExamResult:
    attempt: ExamAttempt
    marked: list[Marked]
    attempts_left: int | None


def _normal(kind: str, value) -> list:
    """An answer as a comparable list: option indices, [bool], or trimmed texts."""
    values = value if isinstance(value, list) else [value]
    if kind == QuestionKind.FILL:
        return [str(v).strip() for v in values if str(v).strip()]
    if kind == QuestionKind.TRUE_FALSE:
        return [v if isinstance(v, bool) else str(v).lower() in {"true", "1", "对", "是"}
                for v in values[:1]]
    try:
        return sorted({int(v) for v in values})
    except (TypeError, ValueError):
        return []


def _is_correct(question: Question, given: list) -> bool:
    if question.kind == QuestionKind.FILL:
        accepted = {str(text).strip() for text in question.answer}
        return len(given) == 1 and given[0] in accepted
    return given == _normal(question.kind, question.answer)


@transaction.atomic
def exam_submit(*, attempt: ExamAttempt, answers: dict,
                now: datetime.datetime | None = None) -> ExamResult:
    """Marks an attempt once. `answers` maps question id → the member's answer. Refused: a
    second submission, one after the deadline, answers for questions not drawn."""
    now = now or timezone.now()
    attempt = ExamAttempt.objects.select_for_update().select_related("enrolment").get(
        pk=attempt.pk)
    if attempt.submitted_at is not None:
        raise ExamRefused(_("该次考试已交卷，不能重复提交。"), code="exam_already_submitted")
    if attempt.deadline and now > attempt.deadline + datetime.timedelta(seconds=GRACE_SECONDS):
        raise ExamRefused(_("考试时间已到，本次作答不能再提交。"), code="exam_time_over")
    drawn = set(attempt.question_ids)
    try:
        given = {int(key): value for key, value in answers.items()}
    except (TypeError, ValueError):
        given = None
    if given is None or set(given) - drawn:
        raise ExamRefused(_("答卷中有本次未抽到的试题。"), code="exam_question_not_drawn")
    marked = []
    for question in attempt_questions(attempt=attempt):
        answer = _normal(question.kind, given.get(question.pk, []))
        marked.append(Marked(question, answer, _is_correct(question, answer)))
    score = round(100 * sum(m.correct for m in marked) / len(marked)) if marked else 0
    lesson = Lesson.objects.get(pk=attempt.lesson_id)
    attempt.answers = {str(m.question.pk): m.given for m in marked}
    attempt.score, attempt.submitted_at = score, now
    attempt.passed = score >= (lesson.pass_score or DEFAULT_PASS_SCORE)
    attempt.save(update_fields=["answers", "score", "submitted_at", "passed"])
    enrolment = attempt.enrolment
    Enrolment.objects.filter(pk=enrolment.pk).exclude(best_score__gte=score).update(
        best_score=score)
    if attempt.passed:
        progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment,
                                                                  lesson=lesson)
        if LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
                completed_at=now):
            lesson_done(enrolment=enrolment, lesson=lesson, at=now)
    return ExamResult(attempt, marked, attempts_left(enrolment=enrolment, lesson=lesson))
