"""Issue 12, 共享党课 rankings: the library ranks approved lessons by views and by completions
(counted by the player, the lecturer's own view not counted), and a lecturer's page lists only
that lecturer's approved lessons; a lecturer of another company is nothing here."""

import re

from django.db import connection
from django_tenants.utils import schema_context

from tests.toolkit.conftest import build_org, login
from tests.toolkit.learning.test_member_lessons import _upload, _watch
from toolkit.learning import member_lessons as services
from toolkit.learning import member_lessons_selectors as selectors
from toolkit.learning.models import MemberLessonStatus

HOST = "alpha.localhost"


def _reviewed(org, lesson, decision=MemberLessonStatus.APPROVED):
    with schema_context(org.schema):
        return services.member_lesson_review(lesson=lesson, by=lesson.lecturer.unit.secretary.user,
                                             decision=decision, note="请重录")


def _lessons(org, media_files):
    """甲课 by members[2]: opened by 3 colleagues, watched to the end by none.
    乙课 by members[3]: opened and watched to the end by 2.
    丙课 by members[2]: opened and watched to the end by 1.
    members[2] also has a pending and a rejected lesson."""
    m = org.members
    first = _reviewed(org, _upload(org, m[2], media_files, title="甲课"))
    second = _reviewed(org, _upload(org, m[3], media_files, title="乙课"))
    third = _reviewed(org, _upload(org, m[2], media_files, title="丙课"))
    _upload(org, m[2], media_files, title="待审的课")
    _reviewed(org, _upload(org, m[2], media_files, title="退回的课"),
              decision=MemberLessonStatus.REJECTED)
    with schema_context(org.schema):
        for viewer in (m[0], m[1], m[4], m[2]):  # the lecturer's own view counts nothing
            services.member_lesson_open(lesson=first, member=viewer)
        for viewer in (m[0], m[1]):
            _watch(second, viewer)
        _watch(third, m[5])
    connection.set_schema_to_public()
    return first, second, third


def _titles(html: str, list_id: str) -> list[str]:
    block = html.split(f'id="{list_id}"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r'<a href="/learning/shared/[0-9a-f-]{36}/">([^<]+)</a>', block)


def test_the_library_ranks_by_views_and_by_completions(client, org_a, media_files):
    first, second, third = _lessons(org_a, media_files)
    with schema_context("alpha"):
        assert [(x.title, x.view_count, x.completion_count)
                for x in selectors.library(order="views")] == [
            ("甲课", 3, 0), ("乙课", 2, 2), ("丙课", 1, 1)]
        assert [x.title for x in selectors.library(order="completions")] == [
            "乙课", "丙课", "甲课"]
        assert [x.title for x in selectors.library()] == ["乙课", "丙课", "甲课"]
    connection.set_schema_to_public()
    login(client, HOST, org_a.members[5].user.username)
    for order, expected in (("views", ["甲课", "乙课", "丙课"]),
                            ("completions", ["乙课", "丙课", "甲课"])):
        page = client.get(f"/learning/shared/?order={order}", HTTP_HOST=HOST).content.decode()
        connection.set_schema_to_public()
        assert _titles(page, "library") == expected, order


def test_a_lecturers_page_lists_only_their_approved_lessons(client, org_a, media_files):
    _lessons(org_a, media_files)
    lecturer = org_a.members[2]
    login(client, HOST, org_a.members[5].user.username)
    page = client.get(f"/learning/shared/lecturer/{lecturer.pk}/", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    titles = [x.title for x in page.context["lessons"]]
    assert titles == ["丙课", "甲课"]  # the newest first
    html = page.content.decode()
    assert "乙课" not in html and "待审的课" not in html and "退回的课" not in html
    # The lecturer sees their own, every status.
    client.logout()
    login(client, HOST, lecturer.user.username)
    own = client.get(f"/learning/shared/lecturer/{lecturer.pk}/", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    assert sorted(x.title for x in own.context["lessons"]) == sorted(
        ["甲课", "丙课", "待审的课", "退回的课"])


def test_a_lecturer_of_another_company_is_not_found(client, org_a, make_company,
                                                    media_files):
    make_company(name="乙公司", slug="beta")
    org_b = build_org("beta", members=10)
    theirs = org_b.members[9]  # an id no member of alpha has
    _reviewed(org_b, _upload(org_b, theirs, media_files, title="乙公司的课"))
    _reviewed(org_b, _upload(org_b, org_b.members[2], media_files, title="乙公司另一课"))
    login(client, HOST, org_a.members[5].user.username)
    with schema_context("alpha"):
        from toolkit.org.models import Member

        assert not Member.objects.filter(pk=theirs.pk).exists()
    assert client.get(f"/learning/shared/lecturer/{theirs.pk}/",
                      HTTP_HOST=HOST).status_code == 404
    connection.set_schema_to_public()
    # The same id in alpha is alpha's own member: nothing of beta's shows.
    page = client.get(f"/learning/shared/lecturer/{org_b.members[2].pk}/",
                      HTTP_HOST=HOST).content.decode()
    connection.set_schema_to_public()
    assert "乙公司另一课" not in page and "乙公司的课" not in page
    library = client.get("/learning/shared/", HTTP_HOST=HOST).content.decode()
    assert "乙公司" not in library
