"""Due-date reminders go out once per enrolment and due date (e-mail and SMS) and the home
page shows the course; the roll-up reports each company's figures up, right."""

import datetime
from decimal import Decimal

from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Company
from tests.toolkit.conftest import login
from tests.toolkit.learning.conftest import course_build, deliver
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning import exams, rollups, services
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import Enrolment, HoursSource
from toolkit.learning.reminders import due_reminders_send
from training.models import CompanyCourseRollup, CompanyHoursRollup


def test_reminders_go_out_once_per_due_date(org_a, built, tasks_run_here, settings,
                                            django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "accounts.sms.locmem.SmsBackend"
    from accounts.sms import locmem

    member = org_a.members[2]
    with schema_context("alpha"):
        member.user.email = "m@example.com"
        member.user.save()
    enrolled(built, member, due_in_days=2)
    mail.outbox.clear()
    sent_before = len(getattr(locmem, "outbox", []))
    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=True):
            assert due_reminders_send() == len(org_a.members)
        with django_capture_on_commit_callbacks(execute=True):
            assert due_reminders_send() == 0
    assert [m.to for m in mail.outbox].count(["m@example.com"]) == 1
    assert "截止" in mail.outbox[0].subject
    assert len(locmem.outbox) - sent_before == len(org_a.members)
    with schema_context("alpha"):  # the due date moves: a new window, a new reminder
        Enrolment.objects.filter(member=member).update(
            due_on=timezone.localdate() + datetime.timedelta(days=5))
        assert due_reminders_send() == 0  # its window opens in two days
        later = timezone.localdate() + datetime.timedelta(days=2)
        assert due_reminders_send(today=later) == 1


def test_a_course_due_later_is_not_reminded_and_home_shows_the_due_one(client, org_a, built):
    member = org_a.members[2]
    enrolled(built, member, due_in_days=30)
    soon = course_build(title="即将截止的课程")
    enrolled(soon, member, due_in_days=1)
    with schema_context("alpha"):
        assert set(Enrolment.objects.filter(reminded_at__isnull=True).values_list(
            "course_id", flat=True)) == {built.course.pk, soon.course.pk}
        due_reminders_send()
        reminded = set(Enrolment.objects.filter(reminded_at__isnull=False)
                       .values_list("course_id", flat=True))
    assert reminded == {soon.course.pk}
    connection.set_schema_to_public()
    login(client, "alpha.localhost", member.user.username)
    home = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert "即将截止的课程" in home and built.course.title not in home


def test_rollups_report_each_companys_figures(org_a, org_b, built):
    a_members = org_a.members
    first = enrolled(built, a_members[2])
    enrolled(built, a_members[3])
    with schema_context("alpha"):
        services.lesson_open(enrolment=first, lesson=built.lessons["text"])
        attempt = exams.exam_start(enrolment=first, lesson=built.lessons["exam"])
        exams.exam_submit(attempt=attempt, answers={str(attempt.question_ids[0]): [0]})
        Enrolment.objects.filter(member=a_members[4]).update(
            due_on=timezone.localdate() - datetime.timedelta(days=1))
        hours_credit(member=a_members[5], hours=Decimal(40), source=HoursSource.EXTERNAL,
                     title="党校", occurred_on=timezone.localdate())
    deliver(built, companies=[Company.objects.get(schema_name="beta")])
    with schema_context("beta"):
        services.enrolments_sync()
    assert rollups.rollups_refresh() >= 2
    alpha = CompanyCourseRollup.objects.get(company__schema_name="alpha", course=built.course)
    assert (alpha.assigned, alpha.started, alpha.completed, alpha.overdue) == (6, 2, 0, 1)
    assert alpha.average_score == Decimal("33.0")
    assert alpha.hours == Decimal("1.0")  # the text lesson
    # Both stopped learners stop at the first lesson they have not completed: the video.
    assert alpha.stop_lesson_uid == built.lessons["video"].uid
    beta = CompanyCourseRollup.objects.get(company__schema_name="beta", course=built.course)
    assert (beta.assigned, beta.started) == (6, 0)
    year = timezone.localdate().year
    hours = CompanyHoursRollup.objects.get(company__schema_name="alpha", year=year)
    assert (hours.members, hours.on_track, hours.hours) == (6, 1, Decimal("41.0"))


def test_progress_refreshes_its_companys_figures(org_a, built, tasks_run_here,
                                                 django_capture_on_commit_callbacks):
    enrolment = enrolled(built, org_a.members[2])
    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=True):
            services.lesson_open(enrolment=enrolment, lesson=built.lessons["text"])
            attempt = exams.exam_start(enrolment=enrolment, lesson=built.lessons["exam"])
            exams.exam_submit(attempt=attempt,
                              answers={str(pk): [0] for pk in attempt.question_ids})
    connection.set_schema_to_public()
    alpha = CompanyCourseRollup.objects.get(company__schema_name="alpha", course=built.course)
    assert (alpha.started, alpha.hours) == (1, Decimal("2.0"))


def test_the_daily_task_enrols_and_reminds_in_every_company(org_a, org_b, built,
                                                            tasks_run_here):
    from toolkit.learning.tasks import learning_daily_all_task

    deliver(built, companies=[Company.objects.get(schema_name="alpha")], due_in_days=1)
    assert learning_daily_all_task() >= 2
    with schema_context("alpha"):
        assert Enrolment.objects.filter(reminded_at__isnull=False).count() == len(org_a.members)
    with schema_context("beta"):
        assert not Enrolment.objects.exists()
