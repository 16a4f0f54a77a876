"""The question bank's writes. A question that a published version uses is never changed in
place (a learner's submitted attempt keeps its meaning): saving it makes a new question, the
old one is retired and points at it (replaced_by), and drafts switch to the new one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from training.models import Question, VersionStatus
from training.question_check import question_clean
from training.question_import import QuestionFileUnreadable, read_questions
from training.selectors import lesson_question_pool, question_in_published


class QuestionRefused(Refused):
    """A question the bank will not take; fields name what to fix."""


def _cleaned(kind, text, options, answer, explanation) -> dict:
    data, problems = question_clean(kind=kind, text=text, options=options, answer=answer,
                                    explanation=explanation)
    if problems:
        raise QuestionRefused(code="question_invalid", fields={"__all__": problems})
    return data


@transaction.atomic
def question_save(*, kind: str, text: str, options: list[str], answer: str,
                  explanation: str = "", category: str, tags: str = "", by,
                  question: Question | None = None) -> Question:
    data = _cleaned(kind, text, options, answer, explanation)
    data.update(category=category, tags=tags.strip())
    if question is None:
        return Question.objects.create(created_by=by, **data)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.retired_at is not None:
        raise QuestionRefused(_("这道题已停用，不能修改。"), code="question_retired")
    if not question_in_published(question=question):
        for name, value in data.items():
            setattr(question, name, value)
        question.save()
        return question
    replacement = Question.objects.create(created_by=by, **data)
    question.retired_at, question.replaced_by = timezone.now(), replacement
    question.save(update_fields=["retired_at", "replaced_by"])
    for lesson in question.lessons.filter(chapter__version__status=VersionStatus.DRAFT):
        lesson.questions.remove(question)
        lesson.questions.add(replacement)
    return replacement


@transaction.atomic
def question_retire(*, question: Question) -> None:
    """Withdrawn from the bank and from every pool (lesson_question_pool leaves it out), unless
    a published quiz or exam would then have fewer questions than it draws."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    for lesson in question.lessons.filter(chapter__version__status=VersionStatus.PUBLISHED):
        left = lesson_question_pool(lesson=lesson).exclude(pk=question.pk).count()
        if left < (lesson.question_count or 1):
            raise QuestionRefused(
                _("“%(title)s”每次抽 %(n)s 题，停用这道题后题库不够："
                  "请先为它发布有更多试题的新版本。")
                % {"title": lesson.title, "n": lesson.question_count},
                code="question_needed_by_exam")
    if question.retired_at is None:
        question.retired_at = timezone.now()
        question.save(update_fields=["retired_at"])


@transaction.atomic
def questions_import(*, upload, by) -> tuple[list[Question], list[dict]]:
    """All rows or none: ([the questions made], []) when every row is good, ([], [every bad
    row with its number and what is wrong]) otherwise. A file that cannot be read at all
    raises QuestionFileUnreadable."""
    checked = read_questions(upload)
    if checked.errors:
        return [], checked.errors
    made = Question.objects.bulk_create(Question(created_by=by, **row) for row in checked.good)
    return made, []


__all__ = ["QuestionFileUnreadable", "QuestionRefused", "question_retire", "question_save",
           "questions_import"]
