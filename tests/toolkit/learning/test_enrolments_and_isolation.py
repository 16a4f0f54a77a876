"""Enrolments follow deliveries (to the company or its batch) and the audience; a company
without the course sees neither it nor its media; a member never sees another's progress."""

import datetime

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from onboarding.models import BatchEnrolment, IncubationBatch
from tenants.models import Company
from tests.toolkit.conftest import login
from tests.toolkit.learning.conftest import course_build, deliver
from toolkit.learning import services
from toolkit.learning.models import Enrolment, EnrolmentSource, LessonProgress
from training.models import Adoption, Audience

ALPHA, BETA = "alpha.localhost", "beta.localhost"


def _company(schema):
    return Company.objects.get(schema_name=schema)


def test_delivery_to_a_batch_enrols_its_companies_members_once(org_a, org_b, built):
    batch = IncubationBatch.objects.create(name="第一批", starts_on=datetime.date(2026, 1, 1),
                                           ends_on=datetime.date(2026, 12, 31))
    BatchEnrolment.objects.create(batch=batch, company=_company("alpha"))
    deliver(built, batches=[batch])
    with schema_context("alpha"):
        assert services.enrolments_sync() == len(org_a.members)
        assert services.enrolments_sync() == 0  # idempotent
        enrolment = Enrolment.objects.first()
        assert enrolment.required and enrolment.source == EnrolmentSource.DELIVERED
        assert enrolment.due_on == timezone.localdate() + datetime.timedelta(days=10)
    with schema_context("beta"):  # not in the batch
        assert services.enrolments_sync() == 0


def test_leaders_audience_takes_secretaries_only_and_positions_take_named(org_a, built):
    deliver(built, companies=[_company("alpha")], audience=Audience.LEADERS)
    other = course_build(title="宣传工作")
    deliver(other, companies=[_company("alpha")], audience=Audience.POSITIONS,
            positions=["member"])
    with schema_context("alpha"):
        services.enrolments_sync()
        leaders = set(Enrolment.objects.filter(course=built.course)
                      .values_list("member_id", flat=True))
        named = set(Enrolment.objects.filter(course=other.course)
                    .values_list("member_id", flat=True))
    secretaries = {m.pk for m in org_a.members[:2]}
    assert leaders == secretaries
    assert named == {m.pk for m in org_a.members[2:]}


def test_adopted_course_enrols_everyone_as_optional(org_a, built):
    with schema_context("alpha"):
        services.company_course_adopt(course=built.course, by=org_a.admin)
        sources = set(Enrolment.objects.values_list("source", "required"))
        assert Enrolment.objects.count() == len(org_a.members)
    assert sources == {(EnrolmentSource.ADOPTED, False)}
    assert Adoption.objects.filter(company__schema_name="alpha", course=built.course).exists()


def test_version_is_pinned_at_first_start(org_a, built):
    deliver(built, companies=[_company("alpha")])
    with schema_context("alpha"):
        services.enrolments_sync()
        enrolment = Enrolment.objects.get(member=org_a.members[2], course=built.course)
        assert enrolment.version_id is None
        services.enrolment_start(enrolment=enrolment)
        course_build(course=built.course, version_number=2)
        services.enrolment_start(enrolment=enrolment)
        enrolment.refresh_from_db()
        assert enrolment.version_id == built.version.pk
        newcomer = Enrolment.objects.get(member=org_a.members[3], course=built.course)
        assert services.enrolment_start(enrolment=newcomer).version.number == 2


def test_company_without_the_course_sees_neither_it_nor_its_media(client, org_a, org_b,
                                                                   built):
    deliver(built, companies=[_company("alpha")])
    video = built.lessons["video"]
    login(client, BETA, org_b.members[2].user.username)
    page = client.get("/learning/", HTTP_HOST=BETA)
    assert page.status_code == 200 and built.course.title not in page.content.decode()
    assert client.get(f"/learning/course/{built.course.pk}/", HTTP_HOST=BETA).status_code == 404
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=BETA).status_code == 404
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=BETA,
                      HTTP_RANGE="bytes=0-99").status_code == 404
    connection.set_schema_to_public()
    login(client, ALPHA, org_a.members[2].user.username)
    page = client.get("/learning/", HTTP_HOST=ALPHA)
    assert built.course.title in page.content.decode()
    assert client.get(f"/learning/media/{video.pk}/", HTTP_HOST=ALPHA).status_code == 200


def test_a_member_never_sees_another_members_progress(client, org_a, built):
    deliver(built, companies=[_company("alpha")])
    a, b = org_a.members[2], org_a.members[3]
    with schema_context("alpha"):
        services.enrolments_sync()
        mine = services.enrolment_start(enrolment=Enrolment.objects.get(member=a))
        LessonProgress.objects.create(enrolment=mine, lesson=built.lessons["video"],
                                      position_seconds=77)
    login(client, ALPHA, b.user.username)
    lesson = f"/learning/course/{built.course.pk}/lesson/{built.lessons['video'].pk}/"
    page = client.get(lesson, HTTP_HOST=ALPHA).content.decode()
    assert 'data-position="0"' in page
    connection.set_schema_to_public()
    login(client, ALPHA, a.user.username)
    assert 'data-position="77"' in client.get(lesson, HTTP_HOST=ALPHA).content.decode()
