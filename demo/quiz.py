"""The demo's 党建知识问答: the company's bank (demo/quiz_bank.py: the Party Constitution, the
三会一课 rules, dues), and today's daily quiz already played by a few members, so the results
page, the leaderboards and the points have something to show."""

import datetime
import random

from django.utils import timezone

from demo.quiz_bank import QUESTIONS
from toolkit.org.models import Member
from toolkit.quiz import services
from toolkit.quiz.bank import FIELDS
from toolkit.quiz.drawing import CHOICE_KINDS
from toolkit.quiz.models import Attempt, BankQuestion, RoundKind
from training.question_check import KIND_WORDS, question_clean

PLAYERS = 5


def quiz_demo_ensure(*, seed: str) -> None:
    if BankQuestion.objects.exists():
        return
    rows = []
    for kind, text, options, answer, explanation, tag in QUESTIONS:
        parsed, problems = question_clean(kind=KIND_WORDS[kind], text=text, options=options,
                                          answer=answer, explanation=explanation)
        assert not problems, (text, problems)  # the bank is checked like any import
        rows.append(BankQuestion(**{name: parsed[name] for name in FIELDS}, tags=tag))
    BankQuestion.objects.bulk_create(rows)
    _daily_played(random.Random(seed))


def _right(asked) -> list:
    if asked.kind in CHOICE_KINDS:
        return [asked.order.index(i) for i in asked.answer]
    if asked.kind == "true_false":
        return ["true" if asked.answer[0] else "false"]
    return [asked.answer[0]]


def _daily_played(rng: random.Random) -> None:
    """Today's daily quiz, finished by a few members: each knows most answers, a few seconds a
    question, played an hour ago (within today's round)."""
    daily = services.round_current(kind=RoundKind.DAILY)
    members = list(Member.objects.filter(unit__isnull=False).order_by("id")[:PLAYERS])
    start = max(timezone.now() - datetime.timedelta(hours=1), daily.opens_at)
    for n, member in enumerate(members):
        if Attempt.objects.filter(round=daily, member=member).exists():
            continue
        now = start + datetime.timedelta(minutes=n)
        attempt = services.attempt_start(round=daily, member=member, now=now)
        question = services.question_next(attempt=attempt, member=member, now=now)
        while question is not None:
            now += datetime.timedelta(seconds=rng.randint(4, 15))
            answer = _right(question) if rng.random() < 0.8 else ["__"]
            question = services.answer_submit(attempt_id=attempt.pk, member=member,
                                              position=question.position, answer=answer,
                                              now=now).next
