import datetime
import json
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena import services as arena
from toolkit.life import services as life
from toolkit.life.models import MeetingKind
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award


def test_member_home_on_a_phone_shows_points_rank_tasks_meetings_and_dues(client, org_a):
    me = org_a.members[2]
    with schema_context("alpha"):
        points_award(member=org_a.members[3], rule=RuleCode.TASK_ACCEPTED, amount=50)
        points_award(member=me, rule=RuleCode.TASK_ACCEPTED, amount=30)
        task = arena.task_publish(publisher=org_a.branches[0], title="撰写心得", description="",
                                  points=10, places=3, by=org_a.admin,
                                  deadline=timezone.now() + datetime.timedelta(days=2))
        arena.task_claim(task=task, member=me)
        start = timezone.now() + datetime.timedelta(days=1)
        life.meeting_create(unit=org_a.branches[0], kind=MeetingKind.LESSON, title="专题党课",
                            starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                            by=org_a.admin)
    login(client, "alpha.localhost", me.user.username)
    page = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert 'id="home-balance">30<' in page and 'id="home-rank">2<' in page
    assert "撰写心得" in page and "专题党课" in page and "党费" in page


@pytest.mark.parametrize("path", ["/dashboard/", "/points/", "/org/", "/life/compliance/",
                                  "/arena/", "/life/"])
def test_the_admin_sees_the_shared_pages_too(client, org_a, path):
    login(client, "alpha.localhost", "admin")
    assert client.get(path, HTTP_HOST="alpha.localhost").status_code == 200


def test_the_dashboard_charts_only_this_companys_figures(client, org_a, org_b):
    with schema_context("beta"):
        points_award(member=org_b.members[0], rule=RuleCode.TASK_ACCEPTED, amount=777)
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.TASK_ACCEPTED, amount=12)
    login(client, "alpha.localhost", org_a.members[0].user.username)
    page = client.get("/dashboard/", HTTP_HOST="alpha.localhost").content.decode()
    assert "points-chart" in page and "compliance-chart" in page
    assert ", 12]" in page and "777" not in page


def _compliance_data(page: str) -> dict:
    """The compliance chart's rows as the page hands them to its script."""
    found = re.search(r'<script id="compliance-data" type="application/json">(.*?)</script>',
                      page)
    return dict(json.loads(found.group(1)))


def _rules_never_amber(every_months: int = 1):
    from toolkit.life.models import ComplianceRule

    # No warning days: a period's meeting is due only once held (green) or past (red), so
    # what the page shows does not depend on the day of the month the test runs on.
    ComplianceRule.objects.update(warn_days=0, every_months=every_months)


def test_the_dashboard_shows_a_branch_with_nothing_due_as_not_yet_due(client, org_a):
    with schema_context("alpha"):
        _rules_never_amber()
        now = timezone.now()
        life.meeting_create(unit=org_a.branches[1], kind=MeetingKind.COMMITTEE, title="支委会",
                            starts_at=now - datetime.timedelta(seconds=1),
                            ends_at=now + datetime.timedelta(hours=1), by=org_a.admin)
    login(client, "alpha.localhost", "admin")
    page = client.get("/dashboard/", HTTP_HOST="alpha.localhost").content.decode()
    assert _compliance_data(page) == {"第1党支部": None, "第2党支部": 100}
    assert 'id="compliance-chart"' in page and "—：本月尚无到期事项" in page


def test_the_dashboard_says_nothing_is_due_when_no_branch_has_anything_due(client, org_a):
    with schema_context("alpha"):
        _rules_never_amber()
        past = timezone.now() - datetime.timedelta(days=40)  # last month's: held, not this one's
        life.meeting_create(unit=org_a.branches[0], kind=MeetingKind.COMMITTEE, title="支委会",
                            starts_at=past, ends_at=past + datetime.timedelta(hours=1),
                            by=org_a.admin)
    login(client, "alpha.localhost", "admin")
    page = client.get("/dashboard/", HTTP_HOST="alpha.localhost").content.decode()
    assert _compliance_data(page) == {"第1党支部": None, "第2党支部": None}
    assert 'id="compliance-chart-not-due">本月尚无到期事项。<' in page
    assert 'id="compliance-chart"' not in page
