"""堡垒指数 on real data: one branch month settled by hand, the quarter's ranking and title,
and another company's branches out of sight."""

import datetime
from decimal import Decimal as D

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena.models import Claim, ClaimStatus, Task
from toolkit.indices import fortress, selectors, services
from toolkit.indices.models import BranchMonth, BranchQuarter
from toolkit.life.models import ComplianceRule, DuesPayment, Meeting, MeetingKind
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award

APRIL = datetime.date(2026, 4, 1)


def at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, 10))


def _april(org):
    """Branch 1 = members 0, 2, 4; branch 2 = members 1, 3, 5 (tests/toolkit/conftest.py)."""
    m, b1, b2 = org.members, org.branches[0], org.branches[1]
    ComplianceRule.objects.all().delete()
    ComplianceRule.objects.create(kind=MeetingKind.COMMITTEE, every_months=1)
    ComplianceRule.objects.create(kind=MeetingKind.LESSON, every_months=3)
    # points: branch 1 averages 30/3 = 10, branch 2 60/3 = 20 (the best): shares 0.5 and 1
    points_award(member=m[0], rule=RuleCode.TASK_ACCEPTED, amount=30, at=at(4))
    points_award(member=m[1], rule=RuleCode.TASK_ACCEPTED, amount=60, at=at(4))
    # 三会一课: branch 1 holds both (the lesson in May, inside its quarter); branch 2 only the
    # 支委会: 1 and 0.5
    for unit, kind, month in ((b1, MeetingKind.COMMITTEE, 4), (b1, MeetingKind.LESSON, 5),
                              (b2, MeetingKind.COMMITTEE, 4)):
        Meeting.objects.create(unit=unit, kind=kind, title="会", starts_at=at(month),
                               ends_at=at(month) + datetime.timedelta(hours=1),
                               created_by=org.admin)
    # dues: two of branch 1's three on time (one late), none of branch 2: 0.6667 and 0
    for member, on_time in ((m[0], True), (m[2], True), (m[4], False)):
        DuesPayment.objects.create(member=member, month=APRIL, amount=D("10"), paid_at=at(4),
                                   on_time=on_time, recorded_by=org.admin)
    # tasks: branch 1 has none due (counts whole), branch 2 one of two accepted: 1 and 0.5
    task = Task.objects.create(title="任务", publisher=b2, points=5, deadline=at(4, 20),
                               places=3, created_by=org.admin)
    Claim.objects.create(task=task, member=m[1], status=ClaimStatus.ACCEPTED)
    Claim.objects.create(task=task, member=m[3], status=ClaimStatus.CLAIMED)
    Claim.objects.create(task=task, member=m[5], status=ClaimStatus.WITHDRAWN)


def test_a_branch_month_is_settled_as_computed_by_hand(org_a):
    b1, b2 = org_a.branches
    with schema_context("alpha"):
        _april(org_a)
        assert fortress.fortress_settle_month(month=APRIL) == 2
        one, two = (BranchMonth.objects.get(branch=b, month=APRIL) for b in (b1, b2))
        assert (one.members, one.points_avg, one.points_share, one.meetings_share,
                one.dues_share, one.tasks_share) == (3, D("10.00"), D("0.5"), D(1),
                                                     D("0.6667"), D(1))
        assert (two.points_share, two.meetings_share, two.dues_share, two.tasks_share) == (
            D(1), D("0.5"), D(0), D("0.5"))
        # 40×0.5 + 30×1 + 15×0.6667 + 15×1 = 75.0005; 40×1 + 30×0.5 + 0 + 15×0.5 = 62.5
        assert (one.score, two.score) == (D("75.00"), D("62.50"))
        # Settled again, the month is replaced, not doubled.
        fortress.fortress_settle_month(month=APRIL)
        assert BranchMonth.objects.filter(month=APRIL).count() == 2


def test_the_quarter_ranks_branches_and_names_the_title(org_a):
    b1, b2 = org_a.branches
    with schema_context("alpha"):
        _april(org_a)
        services.index_settings_save(values={"flag_title": "五星支部"})
        assert fortress.fortress_settle_quarter(start=APRIL) == 2
        months = BranchMonth.objects.filter(branch=b1).order_by("month")
        assert [m.month for m in months] == [APRIL, datetime.date(2026, 5, 1),
                                             datetime.date(2026, 6, 1)]
        ranking = list(selectors.fortress_ranking())
        assert [(r.branch_id, r.rank, r.flag, r.flag_title) for r in ranking] == [
            (b1.pk, 1, True, "五星支部"), (b2.pk, 2, False, "五星支部")]
        # The index is the weighted formula over the quarter's average measures, which for a
        # linear formula is the average of the three months' scores.
        average = sum(m.score for m in months) / 3
        assert abs(ranking[0].score - average) <= D("0.01")
        assert list(selectors.fortress_history(branch=b1)) == [ranking[0]]


def test_fortress_pages_and_cards_of_a_are_nothing_on_b(client, org_a, org_b):
    with schema_context("alpha"):
        _april(org_a)
        fortress.fortress_settle_quarter(start=APRIL)
        BranchQuarter.objects.filter(branch=org_a.branches[0]).update(flag_title="甲公司红旗")
    a, b = Client(), Client()
    login(a, "alpha.localhost", org_a.members[2].user.mobile)
    login(b, "beta.localhost", org_b.members[2].user.mobile)
    assert "甲公司红旗" in a.get("/indices/fortress/", HTTP_HOST="alpha.localhost").content.decode()
    assert "甲公司红旗" in a.get("/dashboard/", HTTP_HOST="alpha.localhost").content.decode()
    for path in ("/indices/fortress/", "/dashboard/", "/indices/fortress/?q=2026-04-01"):
        assert "甲公司红旗" not in b.get(path, HTTP_HOST="beta.localhost").content.decode()
    # Only the committee settles.
    assert a.post("/indices/fortress/settle/", {"start": "2026-04-01"},
                  HTTP_HOST="alpha.localhost").status_code == 403
