"""The trainers' roll-ups by hand: per course and per batch, counts and hours summed, the
average score weighted by who finished, and the lesson where most learners stop (weighted by
who started and did not finish). The page's charts read their data from a JSON island, with a
trainer's batches only. Catalogue rows cannot be deleted through Django's admin."""

import json
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from onboarding.services import batch_enrol
from tests.training.conftest import PASSWORD, signed_in
from training import services
from training.models import (
    Category,
    Chapter,
    CompanyCourseRollup,
    CompanyHoursRollup,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    Question,
)
from training.rollup_selectors import rollup_by_batch, rollup_by_course


@pytest.fixture
def figures(trainer, published_course, batches, company_a, company_b, make_company):
    """甲 and 丙 in the trainer's 第一期, 乙 in 第二期; two courses.
    学习党章: 甲 10/8/4 (avg 90, stops 第二课时), 丙 30/20/12 (avg 70, stops 第三课时),
              乙 5/5/0 (avg 60, stops 第二课时). 第二课: 甲 6/3/0, no score, no stop."""
    company_c = make_company(name="丙公司", slug="gamma")
    batch_enrol(batch=batches[0], company=company_c)
    second = services.course_create(title="第二课", category=Category.CHARTER, tags="",
                                    by=trainer)
    first = published_course
    for company, course, numbers in (
            (company_a, first, dict(assigned=10, started=8, completed=4, overdue=1,
                                    average_score=90, hours=Decimal("12.5"),
                                    stop_lesson_title="第二课时")),
            (company_c, first, dict(assigned=30, started=20, completed=12, overdue=2,
                                    average_score=70, hours=30, stop_lesson_title="第三课时")),
            (company_b, first, dict(assigned=5, started=5, completed=0, overdue=0,
                                    average_score=60, hours=2, stop_lesson_title="第二课时")),
            (company_a, second, dict(assigned=6, started=3, completed=0, overdue=0))):
        CompanyCourseRollup.objects.create(company=company, course=course, **numbers)
    year = timezone.localdate().year
    CompanyHoursRollup.objects.create(company=company_a, year=year, members=40, on_track=10)
    CompanyHoursRollup.objects.create(company=company_b, year=year, members=50, on_track=50)
    return {"first": first, "second": second, "a": company_a, "b": company_b, "c": company_c}


def _companies(*keys, figures):
    from tenants.models import Company

    return Company.objects.filter(pk__in=[figures[k].pk for k in keys])


@pytest.mark.django_db
def test_rollup_by_course_sums_weights_the_score_and_finds_the_stop(figures):
    rows = rollup_by_course(companies=_companies("a", "b", "c", figures=figures))
    assert [r["label"] for r in rows] == ["学习党章", "第二课"]  # most assigned first
    first, second = rows
    assert (first["assigned"], first["started"], first["completed"], first["overdue"]) == (
        45, 33, 16, 3)
    assert first["hours"] == Decimal("44.5")
    # (90*4 + 70*12 + 60*1) / (4 + 12 + 1): 乙 finished nobody, so it weighs 1.
    assert first["average_score"] == Decimal("74.1")
    # 第二课时: 甲 4 + 乙 5 stopped = 9; 第三课时: 丙 8.
    assert first["stop_lesson"] == "第二课时"
    assert first["completion"] == 36  # 16 / 45
    assert (second["assigned"], second["average_score"], second["stop_lesson"],
            second["completion"], second["hours"]) == (6, None, "", 0, 0)


@pytest.mark.django_db
def test_rollup_by_course_of_a_trainers_companies_only(figures):
    (first, _second) = rollup_by_course(companies=_companies("a", "c", figures=figures))
    assert first["assigned"] == 40 and first["hours"] == Decimal("42.5")
    assert first["average_score"] == Decimal("75.0")  # (360 + 840) / 16
    assert first["stop_lesson"] == "第三课时"  # 8 against 甲's 4, without 乙's 5


@pytest.mark.django_db
def test_rollup_by_batch_sums_each_batchs_companies(figures):
    rows = {r["label"]: r for r in rollup_by_batch(
        companies=_companies("a", "b", "c", figures=figures))}
    assert set(rows) == {"第一期", "第二期"}
    first = rows["第一期"]  # 甲 (both courses) and 丙
    assert (first["assigned"], first["started"], first["completed"], first["overdue"]) == (
        46, 31, 16, 3)
    assert first["hours"] == Decimal("42.5") and first["average_score"] == Decimal("75.0")
    assert first["stop_lesson"] == "第三课时" and first["completion"] == 35  # 16 / 46
    second = rows["第二期"]
    assert (second["assigned"], second["average_score"], second["stop_lesson"],
            second["hours"]) == (5, Decimal("60.0"), "第二课时", 2)
    only = rollup_by_batch(companies=_companies("a", "b", "c", figures=figures),
                           course=figures["second"])
    assert [(r["label"], r["assigned"], r["started"]) for r in only] == [("第一期", 6, 3)]


def _charts(html: str) -> dict:
    island = re.search(r'<script id="rollup-charts" type="application/json">(.*?)</script>',
                       html, re.S)
    assert island, "the charts' data island is missing"
    return json.loads(island.group(1))


@pytest.mark.django_db
def test_the_rollups_page_gives_its_charts_the_trainers_batches_only(trainer_client, figures):
    response = trainer_client.get("/training/rollups/", HTTP_HOST="localhost")
    assert response.status_code == 200
    charts = _charts(response.content.decode())
    assert charts == response.context["charts"]
    # [course, completed, started but not completed, assigned but not started]
    assert charts["courses"] == [["学习党章", 16, 12, 12], ["第二课", 0, 3, 3]]
    # completion %: 丙 12/30, 甲 4/16; 乙 (第二期) is not the trainer's.
    assert charts["companies"] == [["丙公司", 40], ["甲公司", 25]]
    assert charts["on_track"] == [["甲公司", 25]]
    assert "乙公司" not in response.content.decode()
    # One course chosen: no per-course chart, the companies' figures for that course only.
    response = trainer_client.get(f"/training/rollups/?course={figures['second'].pk}",
                                  HTTP_HOST="localhost")
    charts = _charts(response.content.decode())
    assert charts["courses"] == [] and charts["companies"] == [["甲公司", 0]]


@pytest.mark.django_db
def test_staff_charts_have_every_company(client, staff, figures):
    signed_in(client, "staff1")
    charts = _charts(client.get("/training/rollups/", HTTP_HOST="localhost").content.decode())
    assert charts["courses"][0] == ["学习党章", 16, 17, 12]
    assert ["乙公司", 0] in charts["companies"]
    assert ["乙公司", 100] in charts["on_track"]


@pytest.mark.django_db
def test_catalogue_rows_cannot_be_deleted_through_the_admin(client, public_tenant,
                                                            published_course):
    user_create(username="root", password=PASSWORD, full_name="超级管理员", role=Role.STAFF)
    from accounts.models import User

    User.objects.filter(username="root").update(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username="root")
    for model in (Course, CourseVersion, Chapter, Lesson, Question, Delivery):
        model_admin = admin.site._registry[model]
        assert model_admin.has_delete_permission(request) is False, model
        assert "delete_selected" not in model_admin.get_actions(request), model
    signed_in(client, "root")
    url = f"/admin/training/course/{published_course.pk}/delete/"
    assert client.get(url, HTTP_HOST="localhost").status_code == 403
    assert client.post(url, {"post": "yes"}, HTTP_HOST="localhost").status_code == 403
    changelist = client.post("/admin/training/course/", {
        "action": "delete_selected", "_selected_action": [published_course.pk], "post": "yes"},
        HTTP_HOST="localhost")
    assert changelist.status_code in (200, 302)
    assert Course.objects.filter(pk=published_course.pk).exists()
