"""The pages: 我的课程 order, a text lesson shown sanitised and complete on opening, the admin's
catalogue with adoption (a retired course refused), the PDF frame allowed from this site."""

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from tests.toolkit.learning.conftest import course_build, deliver
from tests.toolkit.learning.helpers import enrolled
from toolkit.learning.models import Enrolment, LessonProgress
from training.models import Adoption

HOST = "alpha.localhost"


def test_required_courses_come_first_with_due_dates(client, org_a, built):
    member = org_a.members[2]
    optional = course_build(title="选修的课程")
    enrolled(optional, member, required=False, due_in_days=None)
    enrolled(built, member, due_in_days=5)
    login(client, HOST, member.user.username)
    page = client.get("/learning/", HTTP_HOST=HOST).content.decode()
    assert page.index(built.course.title) < page.index("选修的课程")
    due = timezone.localdate() + timezone.timedelta(days=5)
    assert f"{due:%Y-%m-%d} 截止" in page


def test_text_lesson_is_sanitised_and_complete_once_opened(client, org_a, built):
    text = built.lessons["text"]
    text.body_html = '<p>正文</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    text.save()
    member = org_a.members[2]
    enrolled(built, member)
    login(client, HOST, member.user.username)
    page = client.get(f"/learning/course/{built.course.pk}/lesson/{text.pk}/",
                      HTTP_HOST=HOST).content.decode()
    assert "<p>正文</p>" in page and "alert(1)" not in page and "onerror" not in page
    connection.set_schema_to_public()
    with schema_context("alpha"):
        assert LessonProgress.objects.get(lesson_id=text.pk).completed_at is not None


def test_document_lesson_may_be_framed_by_this_site_only(client, org_a, media_files):
    pdf = course_build(title="文件学习", kinds=("document",), media=media_files)
    member = org_a.members[2]
    enrolled(pdf, member)
    login(client, HOST, member.user.username)
    response = client.get(f"/learning/media/{pdf.lessons['document'].pk}/", HTTP_HOST=HOST)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_admin_adopts_an_open_course_and_not_a_retired_one(client, org_a, built):
    retired = course_build(title="停用的课程")
    login(client, HOST, "admin")
    page = client.get("/learning/manage/", HTTP_HOST=HOST).content.decode()
    assert built.course.title in page and "停用的课程" in page
    retired.course.retired_at = timezone.now()
    retired.course.save()
    connection.set_schema_to_public()
    refused = client.post(f"/learning/manage/adopt/{retired.course.pk}/", HTTP_HOST=HOST)
    assert refused.status_code == 302
    connection.set_schema_to_public()
    client.post(f"/learning/manage/adopt/{built.course.pk}/", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    assert list(Adoption.objects.values_list("course_id", flat=True)) == [built.course.pk]
    with schema_context("alpha"):
        assert Enrolment.objects.filter(course=built.course).count() == len(org_a.members)
    connection.set_schema_to_public()
    page = client.get("/learning/manage/", HTTP_HOST=HOST).content.decode()
    adopted = page.split("公司自选的课程")[1].split("课程目录")[0]
    catalogue = page.split("课程目录")[1].split("学习设置")[0]
    assert built.course.title in adopted and built.course.title not in catalogue


def test_delivered_course_is_listed_for_the_admin(client, org_a, built):
    from tenants.models import Company

    deliver(built, companies=[Company.objects.get(schema_name="alpha")])
    login(client, HOST, "admin")
    page = client.get("/learning/manage/", HTTP_HOST=HOST).content.decode()
    assert built.course.title in page.split("公司自选的课程")[0]
    # and not offered again for adoption in the catalogue: the incubator already delivers it
    catalogue = page.split("课程目录")[1].split("学习设置")[0]
    assert built.course.title not in catalogue and 'action="/learning/manage/adopt/' \
        f'{built.course.pk}/"' not in page


def test_a_finished_course_leads_to_the_members_certificates(client, org_a, built):
    """Finishing a course issues a certificate: the course page says it is finished and
    links to 我的证书, where it downloads; an unfinished one has no such link."""
    member = org_a.members[2]
    enrolment = enrolled(built, member)
    login(client, HOST, member.user.username)
    page = client.get(f"/learning/course/{built.course.pk}/", HTTP_HOST=HOST).content.decode()
    assert 'id="course-certificate"' not in page
    connection.set_schema_to_public()
    with schema_context("alpha"):
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())
    page = client.get(f"/learning/course/{built.course.pk}/", HTTP_HOST=HOST).content.decode()
    assert '<a href="/certificates/" id="course-certificate">我的证书</a>' in page
