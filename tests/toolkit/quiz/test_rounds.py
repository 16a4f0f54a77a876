import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from toolkit.points.models import LedgerEntry, PointRule
from toolkit.quiz import services
from toolkit.quiz.drawing import question_shown
from toolkit.quiz.models import Attempt, RoundKind, Source
from toolkit.quiz.services import QuizRefused, answer_submit, attempt_start, question_next

from .conftest import right_answer

pytestmark = pytest.mark.django_db


def _play_all(attempt, member, *, right=True, now=None):
    question = question_next(attempt=attempt, member=member, now=now)
    while question is not None:
        answer = right_answer(question_shown(question), question) if right else ["zzz"]
        question = answer_submit(attempt_id=attempt.pk, member=member, position=question.position,
                                 answer=answer, now=now).next
    attempt.refresh_from_db()
    return attempt


def test_daily_round_draws_five_with_options_shuffled_and_no_answer_shown(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        daily = services.round_current(kind=RoundKind.DAILY)
        assert services.round_current(kind=RoundKind.DAILY) == daily  # one per day
        attempt = attempt_start(round=daily, member=member)
        assert attempt.questions.count() == 5
        question = question_next(attempt=attempt, member=member)
        shown = question_shown(question)
        assert "answer" not in shown and "explanation" not in shown
        assert sorted(shown["options"]) == sorted(question.options)
        assert question.deadline == question.served_at + datetime.timedelta(seconds=30)


def test_a_round_marks_through_the_shuffle_and_scores_through_the_hub_with_caps(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        attempt = _play_all(attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                          member=member), member)
        assert (attempt.correct, attempt.total) == (5, 5)
        assert attempt.finished_at is not None
        # `quiz` scores 3 per correct answer, daily cap 15.
        assert attempt.points == 15
        entry = LedgerEntry.objects.get(member=member)
        assert (entry.rule_code, entry.amount, entry.category) == ("quiz", 15, "study")
        # The weekly challenge scores on its own rule, cut to its cap (edited here).
        PointRule.objects.filter(code="quiz_weekly").update(points=2, daily_cap=7)
        weekly = _play_all(attempt_start(round=services.round_current(kind=RoundKind.WEEKLY),
                                         member=member), member)
        assert weekly.correct == weekly.total == 10  # the bank has 10 questions
        assert weekly.points == 7
        assert LedgerEntry.objects.filter(member=member, rule_code="quiz_weekly").get().amount == 7


def test_wrong_answers_score_nothing_and_every_answer_is_recorded(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[3]
        attempt = _play_all(attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                          member=member), member, right=False)
        assert (attempt.correct, attempt.points) == (0, 0)
        assert not LedgerEntry.objects.filter(member=member).exists()
        assert all(q.answered_at for q in attempt.questions.all())


def test_a_late_answer_is_refused_and_counts_as_unanswered(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        attempt = attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                member=member)
        question = question_next(attempt=attempt, member=member)
        late = question.deadline + datetime.timedelta(seconds=services.GRACE_SECONDS + 1)
        with pytest.raises(QuizRefused) as refused:
            answer_submit(attempt_id=attempt.pk, member=member, position=question.position,
                          answer=right_answer({}, question), now=late)
        assert refused.value.code == "quiz_answer_late"
        following = question_next(attempt=attempt, member=member, now=late)
        question.refresh_from_db()
        assert question.correct is False and following.position == 2


def test_a_reload_does_not_restart_the_clock(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        attempt = attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                member=member)
        first = question_next(attempt=attempt, member=member)
        again = question_next(attempt=attempt, member=member,
                              now=timezone.now() + datetime.timedelta(seconds=10))
        assert (again.pk, again.deadline) == (first.pk, first.deadline)


def test_answers_for_questions_not_drawn_or_not_yet_served_are_refused(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        attempt = attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                member=member)
        question_next(attempt=attempt, member=member)
        for position, code in ((99, "quiz_question_not_drawn"),
                               (3, "quiz_question_not_served")):
            with pytest.raises(QuizRefused) as refused:
                answer_submit(attempt_id=attempt.pk, member=member, position=position, answer=[0])
            assert refused.value.code == code
        answer_submit(attempt_id=attempt.pk, member=member, position=1, answer=[0])
        with pytest.raises(QuizRefused) as refused:
            answer_submit(attempt_id=attempt.pk, member=member, position=1, answer=[0])
        assert refused.value.code == "quiz_already_answered"


def test_a_second_attempt_is_refused(bank_a):
    with schema_context("alpha"):
        member = bank_a.members[2]
        daily = services.round_current(kind=RoundKind.DAILY)
        attempt = _play_all(attempt_start(round=daily, member=member), member)
        for call in (lambda: attempt_start(round=daily, member=member),
                     lambda: answer_submit(attempt_id=attempt.pk, member=member, position=1,
                                           answer=[0])):
            with pytest.raises(QuizRefused) as refused:
                call()
            assert refused.value.code == "quiz_already_played"
        assert Attempt.objects.filter(round=daily, member=member).count() == 1
        assert LedgerEntry.objects.filter(member=member).count() == 1


def test_an_answer_for_another_member_is_refused(bank_a):
    with schema_context("alpha"):
        owner, other = bank_a.members[2], bank_a.members[3]
        attempt = attempt_start(round=services.round_current(kind=RoundKind.DAILY),
                                member=owner)
        question = question_next(attempt=attempt, member=owner)
        with pytest.raises(QuizRefused) as refused:
            answer_submit(attempt_id=attempt.pk, member=other, position=question.position,
                          answer=right_answer({}, question))
        assert refused.value.code == "quiz_not_your_attempt"
        question.refresh_from_db()
        assert question.answered_at is None


def test_rounds_draw_from_the_incubators_shared_bank(bank_a, shared_bank):
    with schema_context("alpha"):
        now = timezone.now()
        special = services.round_publish(title="共享题专场", opens_at=now,
                                         closes_at=now + datetime.timedelta(days=1),
                                         question_count=5, seconds_per_question=20,
                                         source=Source.SHARED)
        attempt = attempt_start(round=special, member=bank_a.members[2])
        drawn = list(attempt.questions.all())
        assert len(drawn) == 3
        assert {q.shared_question_id for q in drawn} == {q.pk for q in shared_bank}
        attempt = _play_all(attempt, bank_a.members[2])
        assert attempt.points == 3 * 2  # quiz_special: 2 per correct answer


def test_a_special_round_is_refused_with_fields_and_closed_rounds_are_not_played(bank_a):
    with schema_context("alpha"):
        now = timezone.now()
        with pytest.raises(QuizRefused) as refused:
            services.round_publish(title="", opens_at=now, closes_at=now, question_count=0,
                                   seconds_per_question=1, source=Source.OWN)
        assert refused.value.code == "quiz_round_invalid"
        assert set(refused.value.fields) == {"title", "closes_at", "question_count",
                                             "seconds_per_question"}
        later = services.round_publish(title="下月专场", opens_at=now + datetime.timedelta(days=30),
                                       closes_at=now + datetime.timedelta(days=31),
                                       question_count=3, seconds_per_question=20,
                                       source=Source.OWN)
        with pytest.raises(QuizRefused) as refused:
            attempt_start(round=later, member=bank_a.members[2])
        assert refused.value.code == "quiz_round_closed"
