"""Reads for the quiz: the rounds open now, a member's attempt, a round's leaderboard."""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from toolkit.org.models import Member
from toolkit.org.selectors import branch_units_of
from toolkit.quiz.drawing import question_revealed, question_shown
from toolkit.quiz.models import Attempt, AttemptQuestion, Duel, DuelStatus, QuizRound, RoundKind
from toolkit.quiz.services import round_current


def rounds_open(*, now: datetime.datetime | None = None) -> list[QuizRound]:
    """Today's daily quiz, this week's challenge, then the special rounds open now."""
    now = now or timezone.now()
    specials = QuizRound.objects.filter(kind=RoundKind.SPECIAL, opens_at__lte=now,
                                        closes_at__gt=now).order_by("closes_at")
    return [round_current(kind=RoundKind.DAILY, now=now),
            round_current(kind=RoundKind.WEEKLY, now=now), *specials]


def round_by_id(*, round_id: int) -> QuizRound | None:
    return QuizRound.objects.filter(pk=round_id).first()


def attempt_of(*, round: QuizRound, member: Member) -> Attempt | None:
    return Attempt.objects.filter(round=round, member=member).first()


def attempts_by_round(*, member: Member, rounds: list[QuizRound]) -> dict[int, Attempt]:
    found = Attempt.objects.filter(member=member, round__in=rounds)
    return {attempt.round_id: attempt for attempt in found}


def attempt_questions(*, attempt: Attempt) -> QuerySet[AttemptQuestion]:
    return attempt.questions.order_by("position")


def leaderboard(*, round: QuizRound, unit_id: int | None = None,
                limit: int = 50) -> QuerySet[Attempt]:
    """Finished attempts, most correct first, then the quickest (time from start to finish).
    With `unit_id` (the member's unit), the board of its 党支部, 党小组 included."""
    found = (Attempt.objects.filter(round=round, finished_at__isnull=False)
             .select_related("member__user", "member__unit")
             .annotate(took=F("finished_at") - F("started_at"))
             .order_by("-correct", "took", "finished_at"))
    if unit_id is not None:
        found = found.filter(member__unit_id__in=branch_units_of(unit_id=unit_id))
    return found[:limit]


def duel_by_id(*, duel_id: int) -> Duel | None:
    return Duel.objects.filter(pk=duel_id).select_related("challenger__user",
                                                          "opponent__user").first()


def duels_of(*, member: Member, limit: int = 20) -> QuerySet[Duel]:

    return (Duel.objects.filter(Q(challenger=member) | Q(opponent=member))
            .select_related("challenger__user", "opponent__user")[:limit])


def duels_open_to(*, member: Member) -> QuerySet[Duel]:
    """Waiting duels the member may join: open challenges by others, and invitations."""

    return (Duel.objects.filter(status=DuelStatus.WAITING)
            .filter(Q(opponent__isnull=True) | Q(opponent=member))
            .exclude(challenger=member).select_related("challenger__user"))


def duel_view(*, duel: Duel, member: Member, now: datetime.datetime | None = None) -> dict:
    """What a player's page polls: the players and scores, the question asked now (text and
    options only, until this player has answered it), and the questions already done with
    their answers and who took each point."""
    now = now or timezone.now()
    questions = list(duel.questions.order_by("position").prefetch_related("answers"))
    mine = {q.position: next((a for a in q.answers.all() if a.member_id == member.pk), None)
            for q in questions}
    done, asked = [], None
    for question in questions:
        finished = (duel.status == DuelStatus.FINISHED or question.position < duel.current)
        if finished or (question.position == duel.current and mine[question.position]):
            revealed = question_revealed(question)
            answer = mine[question.position]
            revealed.update(given=_given_shown(question=question, answer=answer), correct=bool(
                answer and answer.correct), won_by=question.won_by_id)
            done.append(revealed)
        elif (question.position == duel.current and duel.status == DuelStatus.PLAYING
              and question.served_at and question.served_at <= now):
            asked = question_shown(question)
    starts_in = None
    if duel.status == DuelStatus.PLAYING and asked is None:
        current = questions[duel.current - 1]
        if current.served_at and current.served_at > now:
            starts_in = (current.served_at - now).total_seconds()
    return {"id": duel.pk, "status": duel.status, "current": duel.current,
            "question_count": duel.question_count,
            "challenger": {"id": duel.challenger_id, "name": duel.challenger.user.full_name,
                           "score": duel.challenger_score},
            "opponent": ({"id": duel.opponent_id, "name": duel.opponent.user.full_name,
                          "score": duel.opponent_score} if duel.opponent_id else None),
            "winner": duel.winner_id, "me": member.pk, "question": asked,
            "starts_in": starts_in, "done": done}


def _given_shown(*, question, answer) -> list:
    if answer is None:
        return []
    if question.order:
        return sorted(question.order.index(i) for i in answer.given if i in question.order)
    return list(answer.given)


def member_active(*, member_id: int) -> Member | None:
    """A colleague who may be challenged: an active member of this company."""
    return Member.objects.filter(pk=member_id, user__is_active=True).first()
