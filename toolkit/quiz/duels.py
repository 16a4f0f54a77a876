"""双人对战: two members answer the same questions at the same time; each question's point goes
to the first correct answer. All state is in the Duel's rows and changes only under the duel's
row lock (decision 0022): either player's request, on any web worker, moves the game on when
the current question is done (both answered, or its time is up)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.limits import feature_require
from billing.models import Feature
from core.errors import Forbidden
from toolkit.org.models import Member
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award
from toolkit.quiz.drawing import given_read, is_correct, questions_draw
from toolkit.quiz.models import Duel, DuelAnswer, DuelQuestion, DuelStatus, Source
from toolkit.quiz.services import GRACE_SECONDS, QuizRefused

DUEL_QUESTIONS = 5
DUEL_SECONDS = 20
READY_SECONDS = 3  # between joining (or a question's end) and the next question appearing
# A challenge nobody took is withdrawn after this long.
WAITING_MINUTES = 30


@transaction.atomic
def duel_create(*, challenger: Member, opponent: Member | None = None) -> Duel:
    feature_require(Feature.QUIZ_DUEL)  # a paid feature (billing, 0027)
    if opponent is not None and opponent.pk == challenger.pk:
        raise QuizRefused(_("不能和自己对战。"), code="quiz_duel_own")
    drawn = questions_draw(source=Source.BOTH, count=DUEL_QUESTIONS)
    if not drawn:
        raise QuizRefused(_("题库中还没有题目。"), code="quiz_no_questions")
    duel = Duel.objects.create(challenger=challenger, opponent=opponent,
                               question_count=len(drawn))
    DuelQuestion.objects.bulk_create(
        DuelQuestion(duel=duel, position=n, seconds=DUEL_SECONDS, **q)
        for n, q in enumerate(drawn, start=1))
    return duel


def _player_check(duel: Duel, member: Member) -> None:
    if member.pk not in (duel.challenger_id, duel.opponent_id):
        raise Forbidden(_("你不是这场对战的选手。"), code="quiz_duel_not_player")


def _serve(duel: Duel, position: int, at: datetime.datetime) -> None:
    duel.current = position
    DuelQuestion.objects.filter(duel=duel, position=position).update(
        served_at=at, deadline=at + datetime.timedelta(seconds=DUEL_SECONDS))


@transaction.atomic
def duel_join(*, duel: Duel, member: Member, now: datetime.datetime | None = None) -> Duel:
    now = now or timezone.now()
    duel = Duel.objects.select_for_update().get(pk=duel.pk)
    if duel.challenger_id == member.pk:
        raise QuizRefused(_("不能和自己对战。"), code="quiz_duel_own")
    if duel.opponent_id not in (None, member.pk):
        raise Forbidden(_("这场对战邀请的是别人。"), code="quiz_duel_not_player")
    if duel.status != DuelStatus.WAITING:
        raise QuizRefused(_("这场对战已经开始或结束。"), code="quiz_duel_started")
    duel.opponent, duel.status = member, DuelStatus.PLAYING
    _serve(duel, 1, now + datetime.timedelta(seconds=READY_SECONDS))
    duel.save(update_fields=["opponent", "status", "current"])
    return duel


def _question_done(duel: Duel, question: DuelQuestion, now: datetime.datetime) -> bool:
    if question.deadline and now > question.deadline + datetime.timedelta(seconds=GRACE_SECONDS):
        return True
    return question.answers.count() >= 2


def _advance(duel: Duel, now: datetime.datetime) -> None:
    """Under the duel's lock: past every question that is done; the last one finishes it."""
    if duel.status == DuelStatus.WAITING and now > duel.created_at + datetime.timedelta(
            minutes=WAITING_MINUTES):
        duel.status, duel.finished_at = DuelStatus.CANCELLED, now
        duel.save(update_fields=["status", "finished_at"])
        return
    while duel.status == DuelStatus.PLAYING:
        question = duel.questions.get(position=duel.current)
        if not _question_done(duel, question, now):
            return
        if duel.current >= duel.question_count:
            _finish(duel, now)
            return
        _serve(duel, duel.current + 1, now + datetime.timedelta(seconds=READY_SECONDS))
        duel.save(update_fields=["current"])


def _finish(duel: Duel, now: datetime.datetime) -> None:
    duel.status, duel.finished_at = DuelStatus.FINISHED, now
    if duel.challenger_score != duel.opponent_score:
        duel.winner_id = (duel.challenger_id if duel.challenger_score > duel.opponent_score
                          else duel.opponent_id)
    duel.save(update_fields=["status", "finished_at", "winner"])
    if duel.winner_id:
        points_award(member=Member.objects.get(pk=duel.winner_id), rule=RuleCode.QUIZ_DUEL,
                     source=duel, at=now)


def _needs_moving(duel: Duel, now: datetime.datetime) -> bool:
    if duel.status == DuelStatus.WAITING:
        return now > duel.created_at + datetime.timedelta(minutes=WAITING_MINUTES)
    if duel.status != DuelStatus.PLAYING:
        return False
    question = duel.questions.get(position=duel.current)
    return _question_done(duel, question, now)


def duel_tick(*, duel: Duel, member: Member, now: datetime.datetime | None = None) -> Duel:
    """A player's poll: the duel as it is, moved on first when its question is done. The lock
    is taken only then, so two players polling every second do not queue on it."""
    now = now or timezone.now()
    _player_check(duel, member)
    if not _needs_moving(duel, now):
        return duel
    with transaction.atomic():
        duel = Duel.objects.select_for_update().get(pk=duel.pk)
        _advance(duel, now)
    return duel


@dataclass
class DuelAnswered:
    duel: Duel
    correct: bool
    won: bool


@transaction.atomic
def duel_answer(*, duel: Duel, member: Member, position: int, answer,
                now: datetime.datetime | None = None) -> DuelAnswered:
    """The first correct answer to the current question takes its point: answers queue on the
    duel's row lock, so of two correct answers the one committed first wins."""
    now = now or timezone.now()
    duel = Duel.objects.select_for_update().get(pk=duel.pk)
    _player_check(duel, member)
    _advance(duel, now)
    if duel.status != DuelStatus.PLAYING:
        raise QuizRefused(_("这场对战不在进行中。"), code="quiz_duel_not_playing")
    question = duel.questions.filter(position=position).first()
    if question is None:
        raise QuizRefused(_("这道题不在本场对战中。"), code="quiz_question_not_drawn")
    if position < duel.current:
        raise QuizRefused(_("本题作答时间已过，答案未被接受。"), code="quiz_answer_late")
    if position != duel.current or question.served_at is None or now < question.served_at:
        raise QuizRefused(_("这道题现在不能作答。"), code="quiz_question_not_served")
    if question.answers.filter(member=member).exists():
        raise QuizRefused(_("这道题已经作答。"), code="quiz_already_answered")
    given = given_read(question, answer)
    correct = is_correct(question, given)
    DuelAnswer.objects.create(question=question, member=member, given=given, correct=correct,
                              answered_at=now)
    won = correct and question.won_by_id is None
    if won:
        question.won_by = member
        question.save(update_fields=["won_by"])
        if member.pk == duel.challenger_id:
            duel.challenger_score += 1
        else:
            duel.opponent_score += 1
        duel.save(update_fields=["challenger_score", "opponent_score"])
    _advance(duel, now)
    return DuelAnswered(duel, correct, won)
