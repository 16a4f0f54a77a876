"""Issue 12, a round's results: the leaderboard of the member's 党支部 (scope=branch) ranks that
branch's members only (its 党小组 included), most right first, then the quickest; the company
board ranks everyone; unfinished attempts are not ranked."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.toolkit.conftest import login
from toolkit.org.models import Member, OrgUnit, Position, UnitKind
from toolkit.quiz import services
from toolkit.quiz.models import Attempt, RoundKind

pytestmark = pytest.mark.django_db
HOST = "alpha.localhost"


@pytest.fixture
def board(bank_a):
    """Branch 1: members 0, 2, 4 and 小组员 (in a 党小组 of branch 1); branch 2: 1, 3, 5."""
    m = bank_a.members
    with schema_context("alpha"):
        group = OrgUnit.objects.create(name="第一党小组", kind=UnitKind.GROUP,
                                       parent=bank_a.branches[0], order=9)
        user = User.objects.create(username="13900000099", mobile="13900000099",
                                   full_name="小组员", role=Role.MEMBER,
                                   password=make_password("pw-123456"))
        grouped = Member.objects.create(user=user, unit=group, position=Position.MEMBER)
        daily = services.round_current(kind=RoundKind.DAILY)
        start = timezone.now() - datetime.timedelta(hours=1)
        for member, correct, seconds in ((m[0], 3, 60), (m[2], 5, 90), (m[4], 5, 30),
                                         (grouped, 4, 20), (m[1], 4, 40), (m[3], 5, 10)):
            Attempt.objects.create(round=daily, member=member, correct=correct, total=5,
                                   started_at=start,
                                   finished_at=start + datetime.timedelta(seconds=seconds))
        Attempt.objects.create(round=daily, member=m[5], correct=0, total=5, started_at=start)
    connection.set_schema_to_public()
    return daily, grouped


def _names(client, daily, scope):
    response = client.get(f"/quiz/rounds/{daily.pk}/result/?scope={scope}", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    assert response.status_code == 200
    return [a.member.user.full_name for a in response.context["board"]]


def test_the_branch_board_ranks_only_that_branchs_members(client, bank_a, board):
    daily, grouped = board
    m = [member.user.full_name for member in bank_a.members]
    login(client, HOST, bank_a.members[2].user.username)
    assert _names(client, daily, "branch") == [m[4], m[2], "小组员", m[0]]
    assert _names(client, daily, "company") == [m[3], m[4], m[2], "小组员", m[1], m[0]]
    client.logout()
    login(client, HOST, bank_a.members[1].user.username)
    assert _names(client, daily, "branch") == [m[3], m[1]]  # 5 unfinished: not ranked
    client.logout()
    # A member of a 党小组 sees their whole 党支部's board, not the group's alone.
    login(client, HOST, grouped.user.username)
    assert _names(client, daily, "branch") == [m[4], m[2], "小组员", m[0]]
