"""The company's own question bank: a question added by hand, retired, or many imported from
xlsx. A question is judged by training's one check (training.question_check), typed or
imported, and the file by training's reader: the same template, the same per-row errors."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from toolkit.quiz.models import BankQuestion
from toolkit.quiz.services import QuizRefused
from training.question_check import question_clean
from training.question_import import CheckedQuestions, read_questions

FIELDS = ("kind", "text", "options", "answer", "explanation")


@transaction.atomic
def bank_question_add(*, kind: str, text: str, options: list[str], answer: str,
                      explanation: str = "", tags: str = "") -> BankQuestion:
    parsed, problems = question_clean(kind=kind, text=text, options=options, answer=answer,
                                      explanation=explanation)
    if problems:
        raise QuizRefused(code="quiz_question_invalid", fields={"text": problems})
    return BankQuestion.objects.create(**{name: parsed[name] for name in FIELDS},
                                       tags=tags.strip()[:200])


@transaction.atomic
def bank_question_retire(*, question: BankQuestion) -> None:
    """Retired, not deleted: results that asked it keep their own copy anyway."""
    BankQuestion.objects.filter(pk=question.pk, retired_at__isnull=True).update(
        retired_at=timezone.now())


@dataclass
class Imported:
    created: int
    skipped: int  # the same text is already in the bank
    checked: CheckedQuestions


@transaction.atomic
def bank_import(*, upload) -> Imported:
    """Imports every good row and reports every bad one (row number, text, all its problems);
    a row whose text is already in the bank is skipped, so importing a file twice adds
    nothing. The file as a whole may be refused (QuestionFileUnreadable)."""
    checked = read_questions(upload)
    existing = set(BankQuestion.objects.filter(retired_at__isnull=True,
                                               text__in=[q["text"] for q in checked.good])
                   .values_list("text", flat=True))
    new = [BankQuestion(**{name: q[name] for name in FIELDS}, tags=q.get("tags", ""))
           for q in checked.good if q["text"] not in existing]
    BankQuestion.objects.bulk_create(new)
    return Imported(created=len(new), skipped=len(checked.good) - len(new), checked=checked)
