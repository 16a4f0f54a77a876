"""Closing a task: under the task's row lock, once; a second close is refused with a reason."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena import services
from toolkit.arena.models import Task, TaskStatus


@pytest.fixture
def task(org_a):
    with schema_context("alpha"):
        return services.task_publish(
            publisher=org_a.branches[0], title="整理党员档案", description="", points=20,
            deadline=timezone.now() + datetime.timedelta(days=3), places=1,
            by=org_a.members[0].user)


def test_close_locks_the_task_and_a_closed_task_cannot_be_closed_again(org_a, task):
    secretary = org_a.members[0].user
    with schema_context("alpha"):
        with CaptureQueriesContext(connection) as queries:
            services.task_close(task=task, by=secretary)
        assert any('FROM "arena_task"' in q["sql"] and "FOR UPDATE" in q["sql"]
                   for q in queries.captured_queries)
        assert Task.objects.get(pk=task.pk).status == TaskStatus.CLOSED
        with pytest.raises(services.ArenaRefused, match="这个任务已经结束了。"):
            services.task_close(task=task, by=secretary)


def test_closing_twice_on_the_page_shows_the_refusal(client, org_a, task):
    login(client, "alpha.localhost", org_a.members[0].user.username)
    client.post(f"/arena/{task.pk}/close/", HTTP_HOST="alpha.localhost", follow=True)
    again = client.post(f"/arena/{task.pk}/close/", HTTP_HOST="alpha.localhost", follow=True)
    assert again.status_code == 200
    messages = [str(m) for m in again.context["messages"]]
    assert messages == ["这个任务已经结束了。"]
