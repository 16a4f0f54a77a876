"""Rounds and attempts: one attempt per member and round, questions drawn and options shuffled
when it starts, each question's clock started when the server serves it, answers checked
against the served question's deadline, points through the hub when the last one is in."""

import datetime
import json
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.org.models import Member
from toolkit.points.models import RuleCode
from toolkit.points.selectors import rule_points
from toolkit.points.services import points_award
from toolkit.quiz.drawing import given_read, is_correct, questions_draw
from toolkit.quiz.models import Attempt, AttemptQuestion, QuizRound, RoundKind, Source

# The page's clock and the network take a moment: an answer this late past the deadline still
# counts. More is refused as late.
GRACE_SECONDS = 2
DAILY_QUESTIONS, WEEKLY_QUESTIONS = 5, 20
DEFAULT_SECONDS = 30
MAX_QUESTIONS, MIN_SECONDS, MAX_SECONDS = 50, 5, 300
RULE_OF_KIND = {RoundKind.DAILY: RuleCode.QUIZ, RoundKind.WEEKLY: RuleCode.QUIZ_WEEKLY,
                RoundKind.SPECIAL: RuleCode.QUIZ_SPECIAL}


class QuizRefused(Refused):
    pass


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def round_current(*, kind: str, now: datetime.datetime | None = None) -> QuizRound:
    """Today's daily quiz or this week's challenge, made by whoever opens it first."""
    today = timezone.localdate(now or timezone.now())
    if kind == RoundKind.DAILY:
        starts, days, count = today, 1, DAILY_QUESTIONS
        title = _("每日一答 %(day)s") % {"day": today.strftime("%m-%d")}
    else:
        starts = today - datetime.timedelta(days=today.weekday())
        days, count = 7, WEEKLY_QUESTIONS
        title = _("每周挑战 %(day)s 起") % {"day": starts.strftime("%m-%d")}
    found = QuizRound.objects.filter(kind=kind, starts_on=starts).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return QuizRound.objects.create(
                kind=kind, title=title, starts_on=starts, opens_at=_local_midnight(starts),
                closes_at=_local_midnight(starts + datetime.timedelta(days=days)),
                question_count=count, seconds_per_question=DEFAULT_SECONDS,
                source=Source.BOTH)
    except IntegrityError:  # opened by someone else at the same moment
        return QuizRound.objects.get(kind=kind, starts_on=starts)


@transaction.atomic
def round_publish(*, title: str, opens_at: datetime.datetime, closes_at: datetime.datetime,
                  question_count: int, seconds_per_question: int, source: str) -> QuizRound:
    """A special round (专题竞赛) the admin publishes for a period."""
    fields = {}
    if not (title or "").strip():
        fields["title"] = [_("请填写名称。")]
    if closes_at <= opens_at:
        fields["closes_at"] = [_("结束时间须晚于开始时间。")]
    if not 1 <= question_count <= MAX_QUESTIONS:
        fields["question_count"] = [_("题数须在 1 到 %(n)s 之间。") % {"n": MAX_QUESTIONS}]
    if not MIN_SECONDS <= seconds_per_question <= MAX_SECONDS:
        fields["seconds_per_question"] = [_("每题限时须在 %(a)s 到 %(b)s 秒之间。") % {
            "a": MIN_SECONDS, "b": MAX_SECONDS}]
    if fields:
        raise QuizRefused(code="quiz_round_invalid", fields=fields)
    return QuizRound.objects.create(kind=RoundKind.SPECIAL, title=title.strip(),
                                    opens_at=opens_at, closes_at=closes_at,
                                    question_count=question_count,
                                    seconds_per_question=seconds_per_question, source=source)


@transaction.atomic
def attempt_start(*, round: QuizRound, member: Member,
                  now: datetime.datetime | None = None) -> Attempt:
    """The member's one attempt: made with its questions drawn, or the unfinished one again.
    A finished attempt is never started again."""
    now = now or timezone.now()
    found = Attempt.objects.filter(round=round, member=member).first()
    if found is not None:
        if found.finished_at is not None:
            raise QuizRefused(_("本轮你已作答，每轮只能答一次。"), code="quiz_already_played")
        return found
    if not round.opens_at <= now < round.closes_at:
        raise QuizRefused(_("本轮答题不在开放时间内。"), code="quiz_round_closed")
    drawn = questions_draw(source=round.source, count=round.question_count)
    if not drawn:
        raise QuizRefused(_("题库中还没有题目。"), code="quiz_no_questions")
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(round=round, member=member, started_at=now,
                                             total=len(drawn))
    except IntegrityError:  # two tabs at once: the other one drew
        return Attempt.objects.get(round=round, member=member)
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, position=n, seconds=round.seconds_per_question, **q)
        for n, q in enumerate(drawn, start=1))
    return attempt


def _late(question: AttemptQuestion, now: datetime.datetime) -> bool:
    return now > question.deadline + datetime.timedelta(seconds=GRACE_SECONDS)


def _serve(question: AttemptQuestion, now: datetime.datetime) -> AttemptQuestion:
    question.served_at = now
    question.deadline = now + datetime.timedelta(seconds=question.seconds)
    question.save(update_fields=["served_at", "deadline"])
    return question


def _time_out(question: AttemptQuestion, now: datetime.datetime) -> None:
    question.answered_at, question.given, question.correct = now, [], False
    question.save(update_fields=["answered_at", "given", "correct"])


def _locked(attempt: Attempt, member: Member) -> Attempt:
    attempt = Attempt.objects.select_for_update().select_related("round").get(pk=attempt.pk)
    if attempt.member_id != member.pk:
        raise QuizRefused(_("这不是你的答题。"), code="quiz_not_your_attempt")
    return attempt


@transaction.atomic
def question_next(*, attempt: Attempt, member: Member,
                  now: datetime.datetime | None = None) -> AttemptQuestion | None:
    """The question to answer now: the one served and still open (a reload does not restart
    its clock), else the next one, served now. None when the attempt is finished (then it is
    scored). A served question left past its deadline counts as unanswered."""
    now = now or timezone.now()
    attempt = _locked(attempt, member)
    if attempt.finished_at is not None:
        return None
    for question in attempt.questions.filter(answered_at__isnull=True).order_by("position"):
        if question.served_at is None:
            if now >= attempt.round.closes_at:
                _time_out(question, now)
                continue
            return _serve(question, now)
        if not _late(question, now):
            return question
        _time_out(question, now)
    _finish(attempt, now)
    return None


@dataclass
class Answered:
    question: AttemptQuestion
    attempt: Attempt
    next: AttemptQuestion | None


@transaction.atomic
def answer_submit(*, attempt_id: int, member: Member, position: int, answer,
                  now: datetime.datetime | None = None) -> Answered:
    """Marks one answer; refused when the attempt is not the member's, is finished, the
    question was not drawn or not yet served, is answered already, or the answer is late.
    The next question is served in the same step (one request per answer). Attempt.DoesNotExist
    when there is no such attempt in this company.

    Every player's answers go through here (docs/decisions/0033), so it is two statements: this
    question and the one after it with the attempt (locked) and its round in one query, then
    every write in one (_answer_write)."""
    now = now or timezone.now()
    pair = _pair_locked(attempt_id=attempt_id, position=position)
    # No row: a question past the last one, or no such attempt; either way the attempt decides
    # the refusal (not read locked: nothing is written).
    attempt = pair[0].attempt if pair else Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise Attempt.DoesNotExist(attempt_id)
    if attempt.member_id != member.pk:
        raise QuizRefused(_("这不是你的答题。"), code="quiz_not_your_attempt")
    attempt.member = member  # the same row: no query for it when the attempt is scored
    if attempt.finished_at is not None:
        raise QuizRefused(_("本轮你已作答，每轮只能答一次。"), code="quiz_already_played")
    question = pair[0] if pair and pair[0].position == position else None
    if question is None:
        raise QuizRefused(_("这道题不在你本轮抽到的题目中。"), code="quiz_question_not_drawn")
    if question.served_at is None:
        raise QuizRefused(_("这道题还没有发给你。"), code="quiz_question_not_served")
    if question.answered_at is not None:
        raise QuizRefused(_("这道题已经作答。"), code="quiz_already_answered")
    if _late(question, now):
        # Nothing is written: the question, past its deadline, counts as unanswered when the
        # next one is served.
        raise QuizRefused(_("本题作答时间已过，答案未被接受。"), code="quiz_answer_late")
    question.given = given_read(question, answer)
    question.correct = is_correct(question, question.given)
    question.answered_at = now
    # Questions are served in order, one at a time: the one after this is the next to serve.
    following = pair[1] if len(pair) == 2 and pair[1].served_at is None else None
    if following is not None and now >= attempt.round.closes_at:
        following = None
    if following is not None:
        following.served_at = now
        following.deadline = now + datetime.timedelta(seconds=following.seconds)
    if not _answer_write(attempt=attempt, question=question, following=following):
        raise QuizRefused(_("这道题已经作答。"), code="quiz_already_answered")
    if following is None:
        _finish(attempt, now)
    return Answered(question, attempt, following)


def _model_columns(model, alias: str) -> str:
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def _model_from_row(model, values) -> object:
    """A model instance from its columns as the ORM reads them (JSON decoded by the field)."""
    fields = model._meta.concrete_fields
    return model.from_db(connection.alias, [field.attname for field in fields], [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value")
        else value for field, value in zip(fields, values, strict=True)])


# The query of every answer, written out once: the ORM's own SQL for
# AttemptQuestion.objects.select_related("attempt__round").select_for_update(of=("attempt",))
# .filter(attempt_id=…, position__gte=…).order_by("position")[:2], whose compiling cost more
# than the rest of the answer's work (docs/decisions/0033).
_PAIR_MODELS = (AttemptQuestion, Attempt, QuizRound)
_PAIR_SQL = (
    f"SELECT {_model_columns(AttemptQuestion, 'q')}, {_model_columns(Attempt, 'a')}, "
    f"{_model_columns(QuizRound, 'r')} FROM {AttemptQuestion._meta.db_table} q "
    f"JOIN {Attempt._meta.db_table} a ON a.id = q.attempt_id "
    f"JOIN {QuizRound._meta.db_table} r ON r.id = a.round_id "
    "WHERE q.attempt_id = %s AND q.position >= %s ORDER BY q.position LIMIT 2 FOR UPDATE OF a")


def _pair_locked(*, attempt_id: int, position: int) -> list[AttemptQuestion]:
    """This question and the one after it, each with the attempt (its row locked) and round."""
    sizes = [len(model._meta.concrete_fields) for model in _PAIR_MODELS]
    with connection.cursor() as cursor:
        cursor.execute(_PAIR_SQL, [attempt_id, position])
        rows = cursor.fetchall()
    pair = [_model_from_row(AttemptQuestion, row[:sizes[0]]) for row in rows]
    if rows:  # one attempt for both rows (the same one)
        attempt = _model_from_row(Attempt, rows[0][sizes[0]:sizes[0] + sizes[1]])
        attempt.round = _model_from_row(QuizRound, rows[0][sizes[0] + sizes[1]:])
        for question in pair:
            question.attempt = attempt
    return pair


def _answer_write(*, attempt: Attempt, question: AttemptQuestion,
                  following: AttemptQuestion | None) -> bool:
    """The answer, the attempt's count of correct answers and the next question's clock, in
    one statement. False (nothing written) when the question was answered meanwhile: the
    pair was read in the query that waited for the attempt's lock, and PostgreSQL re-reads
    only the locked row (the attempt) after the wait, so the question's row may predate an
    answer another tab committed; each write re-checks its row's state itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH answered AS (
                UPDATE quiz_attemptquestion SET given = %(given)s::jsonb,
                       correct = %(correct)s, answered_at = %(now)s
                 WHERE id = %(question)s AND answered_at IS NULL
                RETURNING id
            ), served AS (
                UPDATE quiz_attemptquestion SET served_at = %(now)s, deadline = %(deadline)s
                 WHERE id = %(following)s AND served_at IS NULL
                   AND EXISTS (SELECT FROM answered)
                RETURNING id
            ), scored AS (
                UPDATE quiz_attempt SET correct = correct + 1
                 WHERE id = %(attempt)s AND %(correct)s AND EXISTS (SELECT FROM answered)
                RETURNING correct
            )
            SELECT EXISTS (SELECT FROM answered), (SELECT correct FROM scored)
            """,
            {"given": json.dumps(question.given), "correct": question.correct,
             "now": question.answered_at, "question": question.pk, "attempt": attempt.pk,
             "following": following.pk if following else None,
             "deadline": following.deadline if following else None})
        answered, correct = cursor.fetchone()
    if answered and correct is not None:
        attempt.correct = correct
    return answered


def _finish(attempt: Attempt, now: datetime.datetime) -> None:
    """Closes the attempt (unserved questions count as unanswered) and scores it once: the
    attempt's row is locked by the caller and finished only here."""
    attempt.questions.filter(answered_at__isnull=True).update(answered_at=now, given=[],
                                                              correct=False)
    attempt.finished_at = now
    rule = RULE_OF_KIND[attempt.round.kind]
    amount = attempt.correct * rule_points(code=rule)
    entry = (points_award(member=attempt.member, rule=rule, amount=amount, source=attempt,
                          note=attempt.round.title, at=now) if amount > 0 else None)
    attempt.points = entry.amount if entry is not None else 0
    attempt.save(update_fields=["finished_at", "points"])
