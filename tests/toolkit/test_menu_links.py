"""Every link of the toolkit's menu, and every link on the pages it leads to, opens for the
person it is shown to: the admin (who has no member row), a secretary and a member."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena import services as arena
from toolkit.life import services as life
from toolkit.life.models import MeetingKind
from toolkit.mall.services import reward_save

HOST = "alpha.localhost"
HREF = re.compile(r'href="(/[^"#?]*)')
# Not pages: the language switch posts, static files are whitenoise's.
IGNORED = ("/static/", "/i18n/")


def _links(html: str, start: str, end: str) -> set[str]:
    part = html[html.index(start):html.index(end, html.index(start))]
    return {link for link in HREF.findall(part) if not link.startswith(IGNORED)}


@pytest.fixture
def toolkit_in_use(org_a):
    secretary = org_a.members[0].user
    now = timezone.now()
    with schema_context("alpha"):
        life.meeting_create(unit=org_a.branches[0], kind=MeetingKind.LESSON, title="党课",
                            starts_at=now + datetime.timedelta(days=1),
                            ends_at=now + datetime.timedelta(days=1, hours=2), by=secretary)
        arena.task_publish(publisher=org_a.branches[0], title="整理档案", description="",
                           points=10, places=2, by=secretary,
                           deadline=now + datetime.timedelta(days=3))
        reward_save(name="笔记本", description="", cost=30, stock=5)
    connection.set_schema_to_public()
    return org_a


@pytest.mark.parametrize("who", ["admin", "secretary", "member"])
def test_every_menu_link_and_every_link_on_those_pages_opens(client, toolkit_in_use, who):
    org = toolkit_in_use
    username = {"admin": "admin", "secretary": org.members[0].user.username,
                "member": org.members[3].user.username}[who]
    login(client, HOST, username)
    home = client.get("/", HTTP_HOST=HOST).content.decode()
    menu = _links(home, 'class="container toolkit"', "</nav>")
    assert "/mall/" in menu and "/points/" in menu
    pages, failures = set(menu), []
    for link in sorted(menu):
        response = client.get(link, HTTP_HOST=HOST)
        if response.status_code != 200:
            failures.append(f"menu {link} → {response.status_code}")
            continue
        if response["Content-Type"].startswith("text/html"):
            pages |= _links(response.content.decode(), "<main", "</main>")
    for link in sorted(pages - menu):
        status = client.get(link, HTTP_HOST=HOST).status_code
        if status != 200:
            failures.append(f"{link} → {status}")
    assert not failures, "\n".join(failures)
