"""The remedial course (补课课程) is not silent when missing: a monthly close with none set
enrols nobody, and the admin's learning settings page and the leaderboard (where the close's
outcome is shown) name whom it would have enrolled; setting the course enrols them, and the
next close enrols its lowest by itself. Another company sees none of it."""

import datetime
import html

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tenants.models import Company
from tests.toolkit.conftest import build_org, login
from tests.toolkit.learning.conftest import deliver
from toolkit.learning import services
from toolkit.learning.models import Enrolment, EnrolmentSource, LearningSettings
from toolkit.periods import add_months, month_start
from toolkit.points.close import monthly_close
from toolkit.points.models import RemedialAssignment, RuleCode
from toolkit.points.selectors import remedial_unenrolled_names
from toolkit.points.services import points_award

HOST = "alpha.localhost"


def _close(org, month, *, scorers):
    """Members at `scorers` score in `month`; the others (no points) rank lowest."""
    at = timezone.make_aware(datetime.datetime.combine(month, datetime.time(12)))
    with schema_context(org.schema):
        for index in scorers:
            points_award(member=org.members[index], rule=RuleCode.TASK_ACCEPTED, amount=50,
                         at=at)
        monthly_close(month=month)
    connection.set_schema_to_public()


def _warning(page: str) -> str:
    start = page.find('id="remedial-no-course"')
    return html.unescape(page[start:page.find("</p>", start)]) if start >= 0 else ""


def _names(org, indexes):
    return [org.members[i].user.get_full_name() for i in indexes]


def test_a_close_without_a_remedial_course_warns_the_admin_naming_the_lowest(client, org_a,
                                                                           built):
    last_month = add_months(month_start(), -1)
    _close(org_a, last_month, scorers=[0, 1, 2])
    with schema_context("alpha"):
        assert RemedialAssignment.objects.filter(month=last_month).count() == 3
        assert not Enrolment.objects.filter(source=EnrolmentSource.REMEDIAL).exists()
    connection.set_schema_to_public()
    login(client, HOST, "admin")
    for url in ("/learning/manage/", "/points/"):
        warning = _warning(client.get(url, HTTP_HOST=HOST).content.decode())
        assert warning, url
        assert all(name in warning for name in _names(org_a, [3, 4, 5])), url
        assert not any(name in warning for name in _names(org_a, [0, 1, 2])), url
        connection.set_schema_to_public()
    # A member sees the leaderboard, not the admin's warning.
    client.logout()
    login(client, HOST, org_a.members[1].user.username)
    assert not _warning(client.get("/points/", HTTP_HOST=HOST).content.decode())


def test_setting_the_course_enrols_them_and_the_next_close_enrols_its_lowest(client, org_a,
                                                                           built):
    last_month = add_months(month_start(), -1)
    _close(org_a, last_month, scorers=[0, 1, 2])
    deliver(built, companies=[Company.objects.get(schema_name="alpha")])
    login(client, HOST, "admin")
    response = client.post("/learning/manage/", {
        "member_hours": 32, "leader_hours": 56, "remind_days_before": 3,
        "remedial_course": built.course.pk}, HTTP_HOST=HOST)
    assert response.status_code == 302
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert LearningSettings.objects.get(pk=1).remedial_course_id == built.course.pk
        remedial = Enrolment.objects.filter(course=built.course, source=EnrolmentSource.REMEDIAL)
        assert sorted(remedial.values_list("member_id", flat=True)) == sorted(
            org_a.members[i].pk for i in (3, 4, 5))
        assert all(e.required for e in remedial)
        assert set(RemedialAssignment.objects.filter(month=last_month)
                   .values_list("course_id", flat=True)) == {built.course.pk}
    connection.set_schema_to_public()
    for url in ("/learning/manage/", "/points/"):
        assert not _warning(client.get(url, HTTP_HOST=HOST).content.decode()), url
        connection.set_schema_to_public()
    # This month the others are the lowest: the close itself enrols them on the course.
    _close(org_a, month_start(), scorers=[3, 4, 5])
    with schema_context("alpha"):
        assignments = RemedialAssignment.objects.filter(month=month_start())
        assert sorted(assignments.values_list("member_id", flat=True)) == sorted(
            org_a.members[i].pk for i in (0, 1, 2))
        assert set(assignments.values_list("course_id", flat=True)) == {built.course.pk}
        assert Enrolment.objects.filter(course=built.course, source=EnrolmentSource.REMEDIAL,
                                        member__in=[org_a.members[i] for i in (0, 1, 2)]
                                        ).count() == 3


def test_another_company_never_sees_the_names(client, org_a, make_company):
    _close(org_a, add_months(month_start(), -1), scorers=[0, 1, 2])
    make_company(name="乙公司", slug="beta")
    build_org("beta")
    login(client, "beta.localhost", "admin")
    for url in ("/learning/manage/", "/points/"):
        page = client.get(url, HTTP_HOST="beta.localhost").content.decode()
        assert not any(name in page for name in _names(org_a, [3, 4, 5])), url
        connection.set_schema_to_public()


class Boom(Exception):
    pass


def test_the_settings_and_the_pending_enrolment_are_saved_together_by_an_admin_only(
        org_a, built, monkeypatch):
    last_month = add_months(month_start(), -1)
    _close(org_a, last_month, scorers=[0, 1, 2])
    deliver(built, companies=[Company.objects.get(schema_name="alpha")])
    values = {"member_hours": 40, "leader_hours": 60, "remind_days_before": 5,
              "remedial_course": built.course}
    with schema_context("alpha"):
        assert sorted(remedial_unenrolled_names(month=last_month).split("、")) == sorted(
            _names(org_a, [3, 4, 5]))
        with pytest.raises(Forbidden):
            services.learning_settings_save(by=org_a.members[1].user, **values)

        def boom(*args, **kwargs):
            raise Boom

        monkeypatch.setattr(services, "_enrol", boom)  # the enrolment fails: nothing is saved
        with pytest.raises(Boom):
            services.learning_settings_save(by=org_a.admin, **values)
        row = LearningSettings.objects.get(pk=1)
        assert row.remedial_course_id is None and row.member_hours != 40
        assert remedial_unenrolled_names(month=last_month)
        monkeypatch.undo()
        assert services.learning_settings_save(by=org_a.admin, **values) == 3
        row = LearningSettings.objects.get(pk=1)
        assert (row.remedial_course_id, row.member_hours, row.leader_hours,
                row.remind_days_before) == (built.course.pk, 40, 60, 5)
        assert remedial_unenrolled_names(month=last_month) == ""
