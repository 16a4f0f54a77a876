"""Exams: drawn questions fixed at the start, answers never on the page before submitting,
tampered submissions (undrawn question, after the deadline, replay, attempts used up) refused
with clear codes; score, explanations and attempts left after submitting."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning import exams
from toolkit.learning.exams import ExamRefused
from toolkit.learning.models import Enrolment

HOST = "alpha.localhost"


def _refused(code, call, **kwargs):
    with pytest.raises(ExamRefused) as refused:
        call(**kwargs)
    assert refused.value.code == code
    return refused.value


def test_start_draws_n_questions_from_the_pool_and_sets_the_deadline(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    exam = built.lessons["exam"]
    with schema_context("alpha"):
        attempt = exams.exam_start(enrolment=enrolment, lesson=exam)
        assert len(attempt.question_ids) == 3
        assert set(attempt.question_ids) <= {q.pk for q in built.questions}
        assert attempt.deadline - attempt.started_at == datetime.timedelta(minutes=10)
        # Starting again while it is open returns the same attempt: no second draw.
        assert exams.exam_start(enrolment=enrolment, lesson=exam).pk == attempt.pk


def test_retired_questions_are_never_drawn(org_a, built):
    for question in built.questions[:4]:
        question.retired_at = timezone.now()
        question.save()
    enrolment = enrolled(built, org_a.members[2])
    with schema_context("alpha"):
        attempt = exams.exam_start(enrolment=enrolment, lesson=built.lessons["exam"])
    assert attempt.question_ids == [built.questions[4].pk]


def test_tampered_submissions_are_refused(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    exam = built.lessons["exam"]
    with schema_context("alpha"):
        attempt = exams.exam_start(enrolment=enrolment, lesson=exam)
        undrawn = next(q.pk for q in built.questions if q.pk not in attempt.question_ids)
        _refused("exam_question_not_drawn", exams.exam_submit, attempt=attempt,
                 answers={str(undrawn): [0]})
        late = attempt.deadline + datetime.timedelta(seconds=exams.GRACE_SECONDS + 1)
        _refused("exam_time_over", exams.exam_submit, attempt=attempt,
                 answers={str(pk): [0] for pk in attempt.question_ids}, now=late)
        wrong = {str(pk): [1] for pk in attempt.question_ids}
        result = exams.exam_submit(attempt=attempt, answers=wrong)
        assert result.attempt.score == 0 and not result.attempt.passed
        assert result.attempts_left == 1
        assert [m.question.explanation for m in result.marked][0].startswith("解析")
        _refused("exam_already_submitted", exams.exam_submit, attempt=attempt, answers=wrong)
        second = exams.exam_start(enrolment=enrolment, lesson=exam)
        exams.exam_submit(attempt=second, answers={str(second.question_ids[0]): [0]})
        _refused("exam_attempts_exhausted", exams.exam_start, enrolment=enrolment, lesson=exam)
        assert Enrolment.objects.get(pk=enrolment.pk).best_score == 33


def test_passing_completes_the_lesson_and_records_the_best_score(org_a, built):
    enrolment = enrolled(built, org_a.members[2])
    with schema_context("alpha"):
        attempt = exams.exam_start(enrolment=enrolment, lesson=built.lessons["exam"])
        result = exams.exam_submit(attempt=attempt,
                                   answers={str(pk): [0] for pk in attempt.question_ids})
        assert result.attempt.score == 100 and result.attempt.passed
        assert enrolment.progress.get(lesson=built.lessons["exam"]).completed_at
        assert Enrolment.objects.get(pk=enrolment.pk).best_score == 100
        _refused("exam_already_passed", exams.exam_start, enrolment=enrolment,
                 lesson=built.lessons["exam"])


def test_the_exam_page_carries_no_answer_and_the_result_shows_explanations(client, org_a,
                                                                            built):
    for question in built.questions:
        question.options = ["答案选项甲", "选项乙", "选项丙"]
        question.explanation = "这是解析文字"
        question.save()
    member = org_a.members[2]
    enrolled(built, member)
    exam = built.lessons["exam"]
    login(client, HOST, member.user.username)
    lesson_url = f"/learning/course/{built.course.pk}/lesson/{exam.pk}/"
    client.post(lesson_url + "exam/start/", HTTP_HOST=HOST)
    page = client.get(lesson_url, HTTP_HOST=HOST).content.decode()
    assert "这是解析文字" not in page and "answer" not in page.lower().replace("answers", "")
    connection.set_schema_to_public()
    with schema_context("alpha"):
        attempt = Enrolment.objects.get(member=member).attempts.get()
    connection.set_schema_to_public()
    posted = {f"q{pk}": "0" for pk in attempt.question_ids}
    result = client.post(f"{lesson_url}exam/{attempt.pk}/submit/", posted, HTTP_HOST=HOST)
    assert result.status_code == 200
    body = result.content.decode()
    assert "这是解析文字" in body and 'id="exam-score"' in body
    # A replayed form post is refused with a message, not a second score.
    replay = client.post(f"{lesson_url}exam/{attempt.pk}/submit/", posted, HTTP_HOST=HOST)
    assert replay.status_code == 302


def test_after_a_pass_the_pages_offer_no_attempts_left(client, org_a, built):
    """A passed exam cannot be started again (exam_already_passed): the result and the
    lesson page say it is passed, not 还可考 N 次."""
    member = org_a.members[3]
    enrolled(built, member)
    exam = built.lessons["exam"]
    login(client, HOST, member.user.username)
    lesson_url = f"/learning/course/{built.course.pk}/lesson/{exam.pk}/"
    client.post(lesson_url + "exam/start/", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    with schema_context("alpha"):
        attempt = Enrolment.objects.get(member=member).attempts.get()
        right = {f"q{q.pk}": [str(i) for i in q.answer]
                 for q in exams.attempt_questions(attempt=attempt)}
    connection.set_schema_to_public()
    body = client.post(f"{lesson_url}exam/{attempt.pk}/submit/", right,
                       HTTP_HOST=HOST).content.decode()
    connection.set_schema_to_public()
    assert "得分 100" in body and "通过" in body and "还可考" not in body
    page = client.get(lesson_url, HTTP_HOST=HOST).content.decode()
    assert "你已通过。" in page and "还可考" not in page
    # before a pass the pages do say how many are left
    other = org_a.members[4]
    enrolled(built, other)
    login(client, HOST, other.user.username)
    connection.set_schema_to_public()
    assert "还可考 2 次" in client.get(lesson_url, HTTP_HOST=HOST).content.decode()


def test_a_question_edited_after_publishing_stays_in_the_published_exam(org_a, built):
    """A published version never changes under a learner: a trainer's edit of a question the
    published exam uses makes a new question for the next version (question_save), and the
    published exam still draws from all of its questions, not from fewer."""
    from accounts.models import Role
    from accounts.services import user_create
    from training.question_services import question_save

    trainer = user_create(username="trainer-edit", password="pw-123456", full_name="培训师",
                          role=Role.TRAINER)
    exam = built.lessons["exam"]
    exam.question_count = len(built.questions)  # draws every question of its pool
    exam.save(update_fields=["question_count"])
    for question in built.questions[:2]:
        replacement = question_save(kind="single", text=question.text + "（修订）",
                                    options=["甲", "乙", "丙"], answer="A", explanation="解析",
                                    category=question.category, by=trainer, question=question)
        assert replacement.pk != question.pk
    enrolment = enrolled(built, org_a.members[2])
    with schema_context("alpha"):
        attempt = exams.exam_start(enrolment=enrolment, lesson=exam)
    assert sorted(attempt.question_ids) == sorted(q.pk for q in built.questions)


def test_the_exam_counts_down_from_the_servers_deadline_and_the_result_shows_my_answers(
        client, org_a, built):
    for question in built.questions:
        question.options = ["答案选项甲", "选项乙", "选项丙"]
        question.save()
    member = org_a.members[2]
    enrolled(built, member)
    exam = built.lessons["exam"]  # 10 minutes
    login(client, HOST, member.user.username)
    lesson_url = f"/learning/course/{built.course.pk}/lesson/{exam.pk}/"
    client.post(lesson_url + "exam/start/", HTTP_HOST=HOST)
    page = client.get(lesson_url, HTTP_HOST=HOST).content.decode()
    seconds = int(re.search(r'id="exam-clock" data-seconds="(\d+)"', page).group(1))
    assert 590 <= seconds <= 600 and "js/exam-clock.js" in page
    connection.set_schema_to_public()
    with schema_context("alpha"):
        attempt = Enrolment.objects.get(member=member).attempts.get()
    connection.set_schema_to_public()
    first, second, *rest = attempt.question_ids
    posted = {f"q{first}": "1", **{f"q{pk}": "0" for pk in rest}}  # the second left blank
    body = client.post(f"{lesson_url}exam/{attempt.pk}/submit/", posted,
                       HTTP_HOST=HOST).content.decode()
    answers = re.findall(r'class="exam-answers"><small>你的答案：([^<]*)</small><br>\s*'
                         r'<small>正确答案：([^<]*)</small>', body)
    assert answers[0] == ("B. 选项乙", "A. 答案选项甲")
    assert answers[1] == ("未作答", "A. 答案选项甲")
    assert answers[2] == ("A. 答案选项甲", "A. 答案选项甲")
