"""No input gives a 500: every URL pattern of both URLconfs, walked with junk ids, junk query
strings and junk POST bodies, and every form a page shows posted back with extreme values,
as every kind of visitor. All failures are reported at once."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from django.utils.regex_helper import normalize
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import user_create
from onboarding.services import application_submit, batch_create
from tests.onboarding.conftest import application_data
from tests.saas.junk_forms import NUMBERS, filled, post_forms
from tests.toolkit.conftest import login, org_a  # noqa: F401 - the fixture
from toolkit.arena import services as arena
from toolkit.life import services as life
from toolkit.life import services as life_services
from toolkit.mall.services import reward_save

# Values for path parameters: a real-looking small id, a missing one, one past bigint.
INT_VALUES = ["1", "999999", "99999999999999999999"]
STR_VALUES = ["junk", "%00"]
# Every GET parameter a view reads (grep request.GET), with values no view expects.
JUNK_QUERIES = [
    "unit=abc&month=zzz&page=-1&q=%00&scope=x&year=99999&period=x&status=x&industry=x"
    "&batch=abc&next=x",
    "unit=99999999999999999999&batch=99999999999999999999&q=" + "x" * 3000,
    "unit=-1&batch=-1&page=99999999999999999999&status=submitted&industry=it",
    "period=%00&unit=%00&status=%00&industry=%00&batch=%00&q=%00&p=%00&o=%00&_changelist_filters=%00",
    "v=%00&course=abc&year=abc&tag=%00&retired=%00&kind=%00&category=%00",
    "v=99999999999999999999&course=99999999999999999999&year=-1&retired=yes&kind=quiz",
    "topic=%00&order=%00&s=%00",
]
JUNK_POST = {
    "points": "-999999999999", "amount": "1e999", "cost": "-1", "stock": "99999999999999999999",
    "member": "abc", "month": "zzz", "unit": "99999999999999999999", "kind": "x",
    "publisher": "-1", "deadline": "2999-99-99", "starts_at": "x", "ends_at": "x",
    "places": "0", "name": "x" * 300, "title": "x" * 300, "reason": "\x00", "note": "x\x00" * 250,
    "decision": "accept", "to": "x", "slug": "../..", "plan": "x", "credit_code": "x" * 40,
    "mobile": "1" * 40, "email": "x", "company": "abc", "batch": "abc", "category": "x",
    "monthly_wage": "-1", "file": "x", "files": "x", "text": "a\x00", "minutes": "m\x00",
    "new_password1": "1", "new_password2": "2", "username": "x", "password": "x",
    "form-TOTAL_FORMS": "99999999999", "form-INITIAL_FORMS": "abc",
    "form-0-id": "99999999999999999999", "form-0-points": "-999999999999",
    "rules-TOTAL_FORMS": "5", "rules-INITIAL_FORMS": "0", "rules-0-every_months": "0",
    "dues-due_day": "99", "dues-student": "-1", "language": "xx", "parent": "abc",
    "secretary_name": "\x00", "secretary_mobile": "x", "to_unit": "abc",
}
# Every number past the integer columns' range.
BIG_POST = {key: "99999999999999999999" for key in (
    "points", "amount", "cost", "stock", "member", "unit", "places", "publisher", "company",
    "batch", "monthly_wage", "party_members", "party_branches", "form-0-points",
    "form-0-daily_cap", "form-0-monthly_cap", "daily_cap", "monthly_cap", "dues-due_day",
    "dues-student", "rules-0-every_months", "rules-0-warn_days", "to_unit", "parent")}
# Pages that change who the client is; walking them would sign the visitor out midway.
SKIP = {"logout"}
FORMS_LEFT_ALONE = ("/logout/", "/i18n/", "/login/")


def _join(route1: str, route2: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route, so routes compare with resolve()'s.
    return route2 if not route1 else route1 + route2.removeprefix("^")


def _patterns(resolver, prefix="", route=""):
    """(url template, route, values per parameter) for every pattern, recursively."""
    for entry in resolver.url_patterns:
        regex = entry.pattern.regex.pattern
        template, params = normalize(regex)[0] if regex else ("", [])
        converters = entry.pattern.converters if isinstance(entry.pattern, RoutePattern) else {}
        full_route = _join(route, str(entry.pattern))
        values = {name: _values_for(name, converters.get(name), regex) for name in params}
        if isinstance(entry, URLResolver):
            for template2, route2, values2, name in _patterns(entry, "", full_route):
                yield template % {p: f"%({p})s" for p in params} + template2, route2, \
                    {**values, **values2}, name
        elif isinstance(entry, URLPattern):
            yield template, full_route, values, entry.name


def _values_for(name, converter, regex) -> list[str]:
    if type(converter).__name__ == "IntConverter":
        return INT_VALUES
    if type(converter).__name__ == "UUIDConverter":  # stable lesson uids (扫码党课)
        return ["00000000-0000-0000-0000-000000000000"]
    # A regex group of alternatives (the admin's app labels): its first one reaches the view.
    choices = re.search(rf"\(\?P<{name}>([\w|]+)\)", regex)
    return STR_VALUES + ([choices.group(1).split("|")[0]] if choices else [])


def urls_of(urlconf: str) -> list[tuple[str, str]]:
    """Each pattern's concrete URLs with junk values that still resolve to that pattern."""
    urls, unreached = [], []
    for template, route, values, name in _patterns(get_resolver(urlconf)):
        if name in SKIP:
            continue
        found = False
        # Each parameter's n-th value together (attend/<meeting>/<member>/ gets 1/1, 0/0…).
        for index in range(max((len(v) for v in values.values()), default=1)):
            url = "/" + template % {n: v[min(index, len(v) - 1)] for n, v in values.items()}
            try:
                match = resolve(url.replace("%00", "\x00"), urlconf)
            except Exception:  # noqa: BLE001 - a value the pattern does not take
                continue
            if match.route == route:
                urls.append((url, route))
                found = True
        if not found:
            unreached.append(route)
    assert not unreached, f"no junk URL reaches: {unreached}"
    return urls


def _walk(client: Client, host: str, urls, who: str, forms_posted: list[str], *,
          posts: bool = True) -> list[str]:
    failures = []

    def check(method, url, response):
        if response.status_code >= 500:
            failures.append(f"{who} {method} {url[:120]} → {response.status_code}")

    seen_routes = set()
    for url, route in urls:
        page = client.get(url, HTTP_HOST=host)
        check("GET", url, page)
        if route not in seen_routes:  # junk queries and the other bodies once per pattern
            seen_routes.add(route)
            for query in JUNK_QUERIES:
                check("GET", f"{url}?{query}", client.get(f"{url}?{query}", HTTP_HOST=host))
            if posts and page.status_code == 200 and "html" in page.get("Content-Type", ""):
                for form in post_forms(page.content.decode(), url):
                    if form.action.startswith(FORMS_LEFT_ALONE):
                        continue
                    forms_posted.append(f"{who} {form.action}")
                    for variant in NUMBERS:
                        check(f"POST ({variant})", form.action, client.post(
                            form.action, filled(form, variant), HTTP_HOST=host))
            if posts:
                check("POST", url, client.post(url, {}, HTTP_HOST=host))
                check("POST", url, client.post(url, BIG_POST, HTTP_HOST=host))
        if posts:
            check("POST", url, client.post(url, JUNK_POST, HTTP_HOST=host))
    return failures


def _client() -> Client:
    client = Client()
    client.raise_request_exception = False
    return client


@pytest.mark.django_db
def test_no_url_of_a_company_site_answers_500_to_junk(org_a):  # noqa: F811 - the fixture
    from django.db import connection

    _company_in_use(org_a)
    connection.set_schema_to_public()
    visitors = {"anonymous": _client(), "member": _client(), "secretary": _client(),
                "admin": _client()}
    # Everyone signs in before any junk is posted to the login page.
    login(visitors["member"], "alpha.localhost", org_a.members[-1].user.username)
    login(visitors["secretary"], "alpha.localhost", org_a.members[0].user.username)
    login(visitors["admin"], "alpha.localhost", "admin")
    urls = urls_of("saas.urls_tenant")
    failures, forms = [], []
    for who, client in visitors.items():
        failures += _walk(client, "alpha.localhost", urls, who, forms)
    assert not failures, "\n".join(failures)
    # The walk reached the pages' own forms, not only the login page.
    assert {"admin /mall/manage/", "admin /points/rules/", "admin /life/settings/",
            "secretary /arena/claims/1/review/", "secretary /life/1/minutes/",
            "member /life/dues/"} <= set(forms), sorted(set(forms))


def _ids_from_one(*tables: str) -> None:
    """The walk's id 1 is then the row made here, whichever tests ran before (the tables are
    empty inside each test's transaction; their sequences are not)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)", [table])


def _company_in_use(org) -> None:
    """Rows behind every form a page can show: a meeting with leave asked, a task with work
    to review, a reward, a member's dues profile (id 1 is then often a real row)."""
    secretary, member = org.members[0].user, org.members[2]
    with schema_context("alpha"):
        _ids_from_one("life_meeting", "life_leaverequest", "arena_task", "arena_claim",
                      "mall_reward")
        meeting = life.meeting_create(unit=org.branches[0], kind="lesson", title="党课",
                                      starts_at=timezone.now() - datetime.timedelta(minutes=5),
                                      ends_at=timezone.now() + datetime.timedelta(hours=2),
                                      by=secretary)
        life.leave_request(meeting=meeting, member=org.members[4], reason="出差")
        task = arena.task_publish(publisher=org.branches[0], title="任务", description="",
                                  points=5, places=3, by=secretary,
                                  deadline=timezone.now() + datetime.timedelta(days=3))
        claim = arena.task_claim(task=task, member=member)
        arena.claim_submit(claim=claim, member=member, text="完成", files=[])
        reward_save(name="笔记本", description="", cost=30, stock=5)
        life_services.dues_profile_save(member=member, category="employed", monthly_wage=None)


@pytest.mark.django_db
def test_no_url_of_the_incubator_site_answers_500_to_junk(public_tenant, company_a):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    _ids_from_one("onboarding_application", "onboarding_incubationbatch")
    application_submit(**application_data())
    batch_create(name="第一期", starts_on="2026-09-01", ends_on="2026-12-31")
    chief = user_create(username="chief", password="pw-123456", full_name="李建国", role=Role.STAFF)
    User.objects.filter(pk=chief.pk).update(is_superuser=True)  # as the demo's staff: the admin
    _catalogue_in_use()
    visitors = {"anonymous": _client(), "staff": _client(), "superuser": _client(),
                "trainer": _client()}
    login(visitors["staff"], "localhost", "staff1")
    login(visitors["superuser"], "localhost", "chief")
    login(visitors["trainer"], "localhost", "trainer1")
    urls = urls_of("saas.urls_public")
    failures, forms = [], []
    for who, client in visitors.items():
        # Django's own admin pages take only reading from the superuser (time: 140 patterns);
        # everyone posts junk everywhere.
        failures += _walk(client, "localhost", urls, who, forms, posts=who != "superuser")
    assert not failures, "\n".join(failures)
    assert {"anonymous /apply/", "staff /applications/1/approve/", "staff /batches/",
            "staff /companies/", "trainer /training/courses/1/chapters/",
            "trainer /training/lessons/1/", "trainer /training/courses/1/deliver/",
            "staff /training/trainers/"} <= set(forms), forms


def _catalogue_in_use() -> None:
    """The trainers' workspace with something in it: trainer1 runs batch 1; course 1 is a draft
    (chapter 1, text lesson 1, quiz lesson 2 with a pool, a video lesson without its file, so
    it stays a draft whatever is posted); course 2 is published and delivered (delivery 1)."""
    from decimal import Decimal

    from onboarding.models import IncubationBatch
    from training import services as training
    from training.delivery_services import course_deliver
    from training.models import BatchTrainer, Lesson
    from training.question_services import question_save

    _ids_from_one("training_course", "training_chapter", "training_lesson", "training_question",
                  "training_delivery")
    trainer = user_create(username="trainer1", password="pw-123456", full_name="刘培训",
                          role=Role.TRAINER)
    batch = IncubationBatch.objects.get(name="第一期")
    BatchTrainer.objects.create(trainer=trainer, batch=batch)
    pool = [question_save(kind="true_false", text=f"判断 {n}", options=[], answer="对",
                          category="charter", by=trainer) for n in range(2)]
    for title in ("学习党章", "党务实务"):  # course 1 stays a draft, course 2 is delivered
        course = training.course_create(title=title, category="charter", by=trainer)
        chapter = training.chapter_save(version=training.course_draft(course=course), title="总纲")
        training.lesson_save(chapter=chapter, kind="text", title="导读", hours=Decimal(1),
                             body_html="<p>正文</p>")
        training.lesson_save(chapter=chapter, kind="quiz", title="测验", hours=Decimal(1),
                             questions=pool, question_count=2, pass_score=60)
        if title == "学习党章":  # a video still to upload: junk posts can never publish it
            Lesson.objects.create(chapter=chapter, kind="video", title="待上传", order=9)
    training.course_publish(course=course, by=trainer)
    course_deliver(course=course, by=trainer, batches=[batch], opens_on=timezone.localdate())
