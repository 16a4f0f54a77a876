import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import build_org, login
from toolkit.points import selectors
from toolkit.points.close import monthly_close
from toolkit.points.models import (
    MonthlyClose,
    RankingSnapshot,
    RedemptionRight,
    RemedialAssignment,
    RuleCode,
)
from toolkit.points.services import points_award

OCT = datetime.date(2026, 10, 1)


def _in(month: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(month.replace(day=10),
                                                         datetime.time(12)))


@pytest.fixture
def scored(make_company):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=14, branches=2)
    with schema_context("alpha"):
        for index, member in enumerate(org.members):  # 0, 5, 10, … 65 points
            if index:
                points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=5 * index,
                             at=_in(OCT))
    return org


def test_the_close_ranks_grants_the_top_ten_and_assigns_the_lowest(scored):
    with schema_context("alpha"):
        close = monthly_close(month=OCT)
        assert close.members == 14
        company = list(RankingSnapshot.objects.filter(scope="company").order_by("rank"))
        assert [s.points for s in company][:3] == [65, 60, 55]
        assert company[0].member == scored.members[-1] and company[0].rank == 1
        rights = set(RedemptionRight.objects.values_list("member_id", flat=True))
        assert rights == {m.pk for m in scored.members[-10:]}
        assert RedemptionRight.objects.first().valid_month == datetime.date(2026, 11, 1)
        lowest = set(RemedialAssignment.objects.values_list("member_id", flat=True))
        assert lowest == {m.pk for m in scored.members[:3]}
        branch_ranks = RankingSnapshot.objects.filter(scope="branch", rank=1)
        assert branch_ranks.count() == 2  # one leader per branch


def test_the_close_run_twice_gives_one_result(scored):
    with schema_context("alpha"):
        first = monthly_close(month=OCT)
        counts = (RankingSnapshot.objects.count(), RedemptionRight.objects.count(),
                  RemedialAssignment.objects.count())
        points_award(member=scored.members[0], rule=RuleCode.TASK_ACCEPTED, amount=500,
                     at=_in(OCT))  # a late award does not reopen a closed month
        second = monthly_close(month=OCT)
        assert second.pk == first.pk and MonthlyClose.objects.count() == 1
        assert (RankingSnapshot.objects.count(), RedemptionRight.objects.count(),
                RemedialAssignment.objects.count()) == counts


def test_leaderboards_by_month_quarter_year_and_branch(scored):
    with schema_context("alpha"):
        points_award(member=scored.members[1], rule=RuleCode.TASK_ACCEPTED, amount=100,
                     at=_in(datetime.date(2026, 11, 1)))
        month = selectors.leaderboard(period="month", day=datetime.date(2026, 11, 5))
        assert [(s.rank, s.points) for s in month] == [(1, 100)]
        quarter = selectors.leaderboard(period="quarter", day=datetime.date(2026, 11, 5))
        assert quarter[0].member_id == scored.members[1].pk and quarter[0].points == 105
        year = selectors.leaderboard(period="year", day=datetime.date(2026, 11, 5))
        assert len(year) == 13
        branch = scored.branches[0]
        mine = selectors.leaderboard(period="quarter", day=datetime.date(2026, 11, 5),
                                     unit=branch)
        expected = {m.pk for m in scored.members if m.unit_id == branch.pk} - {
            scored.members[0].pk}  # the one with no points
        assert {s.member_id for s in mine} == expected


def _queries_for_leaderboard(client, host) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/points/?period=year", HTTP_HOST=host)
    assert response.status_code == 200
    return len(queries)


def test_the_leaderboard_page_costs_the_same_queries_for_30_and_300_members(client,
                                                                            make_company):
    counts = []
    for slug, size in (("small", 30), ("large", 300)):
        make_company(name=slug, slug=slug)
        org = build_org(slug, members=size, branches=3)
        with schema_context(slug):
            for member in org.members:
                points_award(member=member, rule=RuleCode.STUDY)
        client.logout()
        login(client, f"{slug}.localhost", org.members[0].user.username)
        counts.append(_queries_for_leaderboard(client, f"{slug}.localhost"))
        connection.set_schema_to_public()
    assert counts[0] == counts[1]


def test_a_groups_members_rank_in_their_branch(scored):
    from toolkit.org.models import Member, OrgUnit, UnitKind

    with schema_context("alpha"):
        branch = scored.branches[0]
        group = OrgUnit.objects.create(name="第一小组", kind=UnitKind.GROUP, parent=branch)
        mover = scored.members[-2]  # 60 points, in 第2党支部 … now in branch 1's group
        Member.objects.filter(pk=mover.pk).update(unit=group)
        monthly_close(month=OCT)
        snapshot = RankingSnapshot.objects.get(scope="branch", member=mover)
        assert snapshot.unit_id == branch.pk
        board = selectors.leaderboard(period="month", day=OCT, unit=branch)
        assert mover.pk in {s.member_id for s in board}


def test_ties_are_treated_alike_and_no_one_is_both_rewarded_and_sent_to_the_lesson(
        make_company):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha", members=12, branches=1)
    with schema_context("alpha"):
        for member in org.members:  # everyone the same
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=10, at=_in(OCT))
        monthly_close(month=OCT)
        rights = set(RedemptionRight.objects.values_list("member_id", flat=True))
        lesson = set(RemedialAssignment.objects.values_list("member_id", flat=True))
    assert len(rights) == 12  # all tied first: all in the top ten
    assert not rights & lesson


def test_the_leaderboard_and_history_pages_show_only_this_company(client, org_a, org_b):
    with schema_context("beta"):
        points_award(member=org_b.members[0], rule=RuleCode.TASK_ACCEPTED, amount=99,
                     note="乙公司的任务")
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.TASK_ACCEPTED, amount=7)
    login(client, "alpha.localhost", org_a.members[0].user.username)
    board = client.get("/points/", HTTP_HOST="alpha.localhost").content.decode()
    connection.set_schema_to_public()
    mine = client.get("/points/mine/", HTTP_HOST="alpha.localhost").content.decode()
    assert "7 分" in board and "99" not in board
    assert "乙公司的任务" not in mine and "+7" in mine
