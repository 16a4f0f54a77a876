"""Shared training benchmark: the roll-up refreshed from 200 company schemas of 100 members
after fresh progress, lesson heartbeats from 8 writer processes, and a certificate's render.

    python bench/training.py        # DATABASE_URL's server, or `make bench` (embedded)

Last line: `training: rollup <n> companies x <m> members in <ms> ms, heartbeats <r>/s with 8
writers, certificate p50 <ms> ms`. It uses its own database (<name>_bench, dropped and re-made)
and drops it again at the end.
"""

import datetime
import importlib
import multiprocessing
import os
import random
import statistics
import time
from decimal import Decimal

from benchdb import setup

COMPANIES = int(os.environ.get("BENCH_COMPANIES", "200"))
MEMBERS = int(os.environ.get("BENCH_MEMBERS", "100"))
WRITERS = int(os.environ.get("BENCH_WRITERS", "8"))
BEATS_PER_WRITER = int(os.environ.get("BENCH_HEARTBEATS", "300"))
CERTIFICATES = int(os.environ.get("BENCH_CERTIFICATES", "30"))
VIDEO_SECONDS = 600


def course_make():
    """A published course: a chapter of two videos and a text lesson."""
    from django.utils import timezone

    from training.models import (
        Chapter,
        Course,
        CourseVersion,
        Lesson,
        LessonKind,
        VersionStatus,
    )

    course = Course.objects.create(title="学习贯彻党章", category="charter")
    version = CourseVersion.objects.create(course=course, number=1,
                                           status=VersionStatus.PUBLISHED,
                                           published_at=timezone.now())
    chapter = Chapter.objects.create(version=version, title="第一章", order=1)
    lessons = [Lesson.objects.create(chapter=chapter, order=i, kind=LessonKind.VIDEO,
                                     title=f"视频{i}", hours=Decimal("1.0"),
                                     duration_seconds=VIDEO_SECONDS) for i in (1, 2)]
    lessons.append(Lesson.objects.create(chapter=chapter, order=3, kind=LessonKind.TEXT,
                                         title="阅读材料", hours=Decimal("0.5")))
    return course, version, lessons


def companies_make(count: int) -> list:
    """Companies the fast way (the warm pool of prepared schemas), each with members who are
    enrolled on the course."""
    from tenants import services
    from tenants.models import CompanyStatus

    services.spare_pool_refill(size=count)
    made = []
    for n in range(count):
        company = services.company_create(name=f"培训基准{n}", slug=f"tb{n}")
        services.company_transition(company=company, to=CompanyStatus.PROVISIONING)
        made.append(services.company_provision(company_id=company.pk))
    return made


def members_enrol(company, course, version, password: str) -> None:
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from toolkit.learning.models import Enrolment, EnrolmentSource
    from toolkit.org.models import Member, OrgUnit, UnitKind

    with schema_context(company.schema_name):
        units = [OrgUnit.objects.create(name=f"第{i}党支部", kind=UnitKind.BRANCH, order=i)
                 for i in range(1, 5)]
        users = User.objects.bulk_create([
            User(username=f"1{n:010d}", mobile=f"1{n:010d}", full_name=f"党员{n}",
                 role=Role.MEMBER, password=password) for n in range(MEMBERS)])
        members = Member.objects.bulk_create([Member(user=u, unit=units[i % len(units)])
                                              for i, u in enumerate(users)])
        Enrolment.objects.bulk_create([
            Enrolment(member=m, course=course, version=version, source=EnrolmentSource.DELIVERED,
                      required=True, opens_on=timezone.localdate(),
                      due_on=timezone.localdate() + datetime.timedelta(days=30))
            for m in members])


def progress_fresh(company, lessons, seed: int) -> None:
    """New progress since the last refresh: about half the members started, some finished
    lessons, a few completed the course (so every figure moves)."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from toolkit.learning.models import Enrolment, LessonProgress

    rng = random.Random(seed)
    now = timezone.now()
    with schema_context(company.schema_name):
        rows, done = [], []
        for enrolment in Enrolment.objects.filter(started_at__isnull=True).only("id"):
            if rng.random() < 0.5:
                continue
            reached = rng.randint(0, len(lessons))
            for lesson in lessons[:max(reached, 1)]:
                finished = lessons.index(lesson) < reached
                rows.append(LessonProgress(
                    enrolment=enrolment, lesson=lesson, last_heartbeat_at=now,
                    position_seconds=VIDEO_SECONDS if finished else 60,
                    watched_seconds=VIDEO_SECONDS if finished else 60,
                    completed_at=now if finished else None))
            done.append((enrolment.pk, reached == len(lessons)))
        LessonProgress.objects.bulk_create(rows)
        Enrolment.objects.filter(pk__in=[pk for pk, _ in done]).update(started_at=now)
        Enrolment.objects.filter(pk__in=[pk for pk, full in done if full]).update(
            completed_at=now, best_score=90)


def learning(name: str):
    """One of the learning branch's functions by its dotted name, or None before it is merged
    (that part of the bench is then skipped and said so)."""
    module, _dot, attribute = name.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError):
        print(f"skipped: {name} is not in this tree yet")
        return None


def rollup_ms(companies) -> float | None:
    from training.models import CompanyCourseRollup

    rollups_refresh = learning("toolkit.learning.rollups.rollups_refresh")
    if rollups_refresh is None:
        return None

    started = time.perf_counter()
    refreshed = rollups_refresh()
    elapsed = (time.perf_counter() - started) * 1000
    assert refreshed == len(companies), refreshed
    rows = CompanyCourseRollup.objects.filter(company__in=companies)
    assert rows.count() == len(companies)
    assert all(row.assigned == MEMBERS and row.started > 0 for row in rows)
    return elapsed


def _writer(args) -> int:
    schema, enrolment_ids, lesson_id, seed = args
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from toolkit.learning.models import Enrolment
    from training.models import Lesson

    lesson_heartbeat = learning("toolkit.learning.services.lesson_heartbeat")
    rng = random.Random(seed)
    connection.close()  # a connection of its own, not the parent's
    lesson = Lesson.objects.get(pk=lesson_id)
    with schema_context(schema):
        enrolments = list(Enrolment.objects.filter(pk__in=enrolment_ids))
        clock = {e.pk: timezone.now() for e in enrolments}
        position = dict.fromkeys(clock, 0)
        for _ in range(BEATS_PER_WRITER):
            enrolment = rng.choice(enrolments)
            clock[enrolment.pk] += datetime.timedelta(seconds=10)  # the player beats every 10 s
            position[enrolment.pk] = min(position[enrolment.pk] + 10, VIDEO_SECONDS)
            lesson_heartbeat(enrolment=enrolment, lesson=lesson,
                             position_seconds=position[enrolment.pk], now=clock[enrolment.pk])
    connection.close()
    return BEATS_PER_WRITER


def heartbeats_per_second(company, lesson) -> float | None:
    from django.db import connections
    from django_tenants.utils import schema_context

    from toolkit.learning.models import Enrolment, LessonProgress

    if learning("toolkit.learning.services.lesson_heartbeat") is None:
        return None

    with schema_context(company.schema_name):
        ids = list(Enrolment.objects.order_by("id").values_list("id", flat=True))
        before = LessonProgress.objects.filter(lesson=lesson).count()
    connections.close_all()
    share = len(ids) // WRITERS  # each writer its own members, as separate phones would be
    work = [(company.schema_name, ids[n * share:(n + 1) * share], lesson.pk, n)
            for n in range(WRITERS)]
    with multiprocessing.get_context("fork").Pool(WRITERS) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_writer, work))
        elapsed = time.perf_counter() - started
    with schema_context(company.schema_name):
        after = LessonProgress.objects.filter(lesson=lesson).count()
    print(f"heartbeats: {done} by {WRITERS} processes in {elapsed:.2f} s "
          f"({after - before} new progress rows)")
    return done / elapsed


def certificate_p50() -> float:
    from django.utils import timezone

    from toolkit.learning.certificates_pdf import certificate_html, certificate_pdf
    from training.certificates import certificate_number_new, certificate_verify_url

    samples = []
    for n in range(CERTIFICATES + 2):
        number = certificate_number_new()
        started = time.perf_counter()
        html = certificate_html(number=number, holder_name="张晓明", course_title="学习贯彻党章",
                                hours=Decimal("2.5"), issued_on=timezone.localdate(),
                                issuer="党建孵化器培训中心",
                                verify_url=certificate_verify_url(number=number))
        pdf = certificate_pdf(html=html)
        if n >= 2:  # the first renders load fonts
            samples.append(time.perf_counter() - started)
        assert pdf.startswith(b"%PDF")
    return statistics.median(samples) * 1000


def database_drop(url: str) -> None:
    """No bench data is left behind: the bench's own database goes."""
    from urllib.parse import urlparse, urlunparse

    import psycopg2
    from django.db import connections

    connections.close_all()
    parsed = urlparse(url)
    admin = psycopg2.connect(urlunparse(parsed._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def main() -> None:
    setup()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its INFO is every render step
    from django.contrib.auth.hashers import make_password

    course, version, lessons = course_make()
    started = time.perf_counter()
    companies = companies_make(COMPANIES)
    password = make_password("bench-2026!")
    for company in companies:
        members_enrol(company, course, version, password)
    print(f"setup: {COMPANIES} companies x {MEMBERS} members in "
          f"{time.perf_counter() - started:.1f} s")
    for n, company in enumerate(companies):
        progress_fresh(company, lessons, seed=n)
    ms = rollup_ms(companies)
    rate = heartbeats_per_second(companies[0], lessons[1])
    certificate = certificate_p50()
    database_drop(os.environ["DATABASE_URL"])  # setup() pointed it at the bench's database
    print(f"training: rollup {COMPANIES} companies x {MEMBERS} members in {_figure(ms)} ms, "
          f"heartbeats {_figure(rate)}/s with {WRITERS} writers, "
          f"certificate p50 {certificate:.0f} ms")


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    main()
