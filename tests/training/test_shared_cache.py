"""A published version's lessons are read by every company that has the course: they are
cached once in the shared alias, not once per company, and a draft is never cached."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from training import services
from training.selectors import published_lessons, version_published_latest

pytestmark = pytest.mark.django_db


def test_two_companies_share_one_cached_outline(published_course, company_a, company_b):
    version = version_published_latest(course=published_course)
    with schema_context(company_a.schema_name):
        first = published_lessons(version=version)
    with schema_context(company_b.schema_name), CaptureQueriesContext(connection) as queries:
        second = published_lessons(version=version)
    assert [lesson.uid for lesson in second] == [lesson.uid for lesson in first]
    assert len(first) == 2 and len(queries) == 0
    assert caches["shared"].get(f"training:lessons:{version.pk}") is not None


def test_a_draft_is_read_fresh_every_time(published_course, trainer):
    draft = services.course_draft(course=published_course)
    assert len(published_lessons(version=draft)) == 2
    chapter = draft.chapters.first()
    services.chapter_save(version=draft, title="新增一章")
    services.lesson_save(chapter=chapter, kind="text", title="补充阅读", hours=1,
                         body_html="<p>补充</p>")
    assert len(published_lessons(version=draft)) == 3
    assert caches["shared"].get(f"training:lessons:{draft.pk}") is None
