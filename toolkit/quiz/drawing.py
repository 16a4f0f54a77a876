"""Drawing questions from the banks, shuffling their options, and marking answers: pure helpers
the rounds and the duels share. What a page may see of a question is `question_shown`; the
answer and the explanation only ever leave through `question_revealed`, after an answer."""

import random

from django.utils.translation import gettext as _

from toolkit.quiz.models import Asked, BankQuestion, Source
from training import selectors as training_selectors
from training.models import QuestionKind

CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}
TRUE_WORDS = {"true", "1", "对", "是", "正确"}


def _own_ids() -> list[tuple[str, int]]:
    ids = BankQuestion.objects.filter(retired_at__isnull=True).values_list("pk", flat=True)
    return [("own", pk) for pk in ids]


def _shared_ids() -> list[tuple[str, int]]:
    # The incubator's bank (public schema), read through training's selectors (0016).
    ids = training_selectors.questions().values_list("pk", flat=True)
    return [("shared", pk) for pk in ids]


def pool_size(*, source: str) -> int:
    return len(_pool(source))


def _pool(source: str) -> list[tuple[str, int]]:
    own = _own_ids() if source in (Source.OWN, Source.BOTH) else []
    shared = _shared_ids() if source in (Source.SHARED, Source.BOTH) else []
    return own + shared


def questions_draw(*, source: str, count: int) -> list[dict]:
    """Up to `count` questions drawn at random, each as the fields of an Asked row (a copy of
    the question and a shuffled option order)."""
    pool = _pool(source)
    picked = random.sample(pool, min(count, len(pool)))
    own = BankQuestion.objects.in_bulk([pk for where, pk in picked if where == "own"])
    shared = training_selectors.questions().in_bulk(
        [pk for where, pk in picked if where == "shared"])
    drawn = []
    for where, pk in picked:
        question = own.get(pk) if where == "own" else shared.get(pk)
        if question is None:  # retired between the two reads
            continue
        order = list(range(len(question.options))) if question.kind in CHOICE_KINDS else []
        random.shuffle(order)
        drawn.append({"kind": question.kind, "text": question.text,
                      "options": list(question.options), "answer": question.answer,
                      "explanation": question.explanation, "order": order,
                      "bank_question_id": pk if where == "own" else None,
                      "shared_question_id": pk if where == "shared" else None})
    return drawn


def question_shown(asked: Asked) -> dict:
    """What the page gets before answering: never the answer or the explanation."""
    return {"position": asked.position, "kind": asked.kind, "text": asked.text,
            "options": [asked.options[i] for i in asked.order],
            "seconds": asked.seconds, "deadline": asked.deadline}


def given_read(asked: Asked, raw) -> list:
    """The member's answer as sent (shown option positions, 对/错, a text) in the terms of the
    stored answer (original option indices, [bool], [text]). Nonsense reads as no answer."""
    values = raw if isinstance(raw, list) else [raw]
    if asked.kind in CHOICE_KINDS:
        try:
            shown = {int(v) for v in values}
        except (TypeError, ValueError):
            return []
        if any(i < 0 or i >= len(asked.order) for i in shown):
            return []
        return sorted(asked.order[i] for i in shown)
    if asked.kind == QuestionKind.TRUE_FALSE:
        return [v if isinstance(v, bool) else str(v).strip().lower() in TRUE_WORDS
                for v in values[:1] if v is not None and str(v).strip()]
    return [str(v).strip() for v in values[:1] if str(v).strip()]


def is_correct(asked: Asked, given: list) -> bool:
    if asked.kind == QuestionKind.FILL:
        return len(given) == 1 and given[0] in {str(t).strip() for t in asked.answer}
    if asked.kind in CHOICE_KINDS:
        return given == sorted(int(i) for i in asked.answer)
    return given == [bool(v) for v in asked.answer]


def _shown_positions(asked: Asked, indices) -> list[int]:
    return sorted(asked.order.index(int(i)) for i in indices or [] if int(i) in asked.order)


def question_revealed(asked: Asked) -> dict:
    """After the member's answer: the right answer and the member's, in shown positions for
    choices, and the explanation."""
    shown = question_shown(asked)
    if asked.kind in CHOICE_KINDS:
        answer, given = _shown_positions(asked, asked.answer), _shown_positions(asked,
                                                                                 asked.given)
    else:
        answer, given = list(asked.answer), list(asked.given or [])
    return {**shown, "answer": answer, "given": given, "correct": bool(asked.correct),
            "explanation": asked.explanation, "answer_text": answer_text(asked),
            "given_text": given_text(asked)}


def _text_of(asked: Asked, values) -> str:
    """Answer values (original option indices, [bool], texts) as the member read them."""
    if asked.kind in CHOICE_KINDS:
        letters = "ABCDEF"
        return "、".join(f"{letters[p]}. {asked.options[asked.order[p]]}"
                        for p in _shown_positions(asked, values))
    if asked.kind == QuestionKind.TRUE_FALSE:
        return (_("对") if values[0] else _("错")) if values else ""
    return " / ".join(str(t) for t in values)


def answer_text(asked: Asked) -> str:
    return _text_of(asked, asked.answer)


def given_text(asked: Asked) -> str:
    """The member's own answer; "" when they gave none (or ran out of time)."""
    return _text_of(asked, asked.given or [])
