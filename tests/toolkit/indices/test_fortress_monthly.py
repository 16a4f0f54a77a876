"""The beat's 堡垒指数 月度终评: last month's branches settled in every company that was there,
each in its own schema, from 02:00 on the 1st, once however often it runs; a month the
committee settled while it was running is settled again, finally."""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Company, CompanyStatus
from tests.conftest import task_named
from tests.toolkit.conftest import build_org
from toolkit.indices import tasks
from toolkit.indices.fortress import fortress_settle_quarter
from toolkit.indices.models import BranchMonth, BranchQuarter
from toolkit.indices.tasks import fortress_months_send, fortress_settle_month_task
from toolkit.org.models import OrgUnit, UnitKind
from toolkit.periods import month_start, previous_month, quarter_start
from toolkit.points import tasks as points_tasks
from toolkit.points.models import RuleCode
from toolkit.points.services import points_award


def _last_month_noon() -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(previous_month(), datetime.time(12)))


def test_the_beat_settles_last_months_branches_in_each_company_once(org_a, org_b, make_company,
                                                                     tasks_run_here):
    make_company(name="丙公司", slug="gamma")  # made this month: not settled for the last one
    build_org("gamma")
    connection.set_schema_to_public()
    Company.objects.filter(slug__in=["alpha", "beta"]).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    month = previous_month()
    with schema_context("alpha"):
        # Branch 1 (members 0, 2, 4) earned points last month; branch 2 none.
        points_award(member=org_a.members[0], rule=RuleCode.TASK_ACCEPTED, amount=30,
                     at=_last_month_noon())
    with schema_context("beta"):
        older = BranchMonth.objects.create(
            branch=org_b.branches[0], month=datetime.date(2020, 1, 1), members=9, points_avg=0,
            points_share=0, meetings_share=0, dues_share=0, tasks_share=0, score=0)

    with schema_context("alpha"):
        # The committee's quarter settled last month while it ran: not final.
        early = BranchMonth.objects.create(
            branch=org_a.branches[0], month=month, members=1, points_avg=0, points_share=0,
            meetings_share=0, dues_share=0, tasks_share=0, score=0)
        BranchMonth.objects.filter(pk=early.pk).update(settled_at=_last_month_noon())

    first = timezone.make_aware(datetime.datetime.combine(month_start(), datetime.time(1)))
    assert fortress_months_send(now=first) == []  # the points close may still be running
    at_three = first + datetime.timedelta(hours=2)
    assert fortress_months_send(now=at_three) == ["alpha", "beta"]
    assert fortress_months_send(now=at_three + datetime.timedelta(hours=1)) == []  # settled
    with schema_context("alpha"):
        fortress_settle_month_task(month.isoformat())  # a message delivered twice

    with schema_context("alpha"):
        rows = {r.branch_id: r for r in BranchMonth.objects.filter(month=month)}
        assert set(rows) == {b.pk for b in org_a.branches}
        assert BranchMonth.objects.count() == 2
        one, two = rows[org_a.branches[0].pk], rows[org_a.branches[1].pk]
        assert (one.members, one.points_avg, one.points_share) == (3, 10, 1)
        assert (two.points_avg, two.points_share) == (0, 0)
    with schema_context("beta"):
        # Its own branches, none of alpha's points; its earlier month left as it was.
        rows = list(BranchMonth.objects.filter(month=month))
        assert {r.branch_id for r in rows} == {b.pk for b in org_b.branches}
        assert all(r.points_avg == 0 for r in rows)
        assert BranchMonth.objects.get(pk=older.pk).members == 9
    with schema_context("gamma"):
        assert not BranchMonth.objects.exists()


def test_the_beat_entry_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["indices-fortress-month"]
    assert task_named(entry["task"]) is tasks.fortress_settle_month_all_task


def test_the_beat_recomputes_a_quarter_the_committee_settled_mid_month(org_a, tasks_run_here):
    """The committee settled the quarter on the 2nd of last month (branch 1 ahead); branch 2
    earned more later that month. The beat's final 月度终评 settles the quarter again: its
    ranking agrees with the months it is made of."""
    b1, b2 = org_a.branches
    month = previous_month()
    quarter = quarter_start(month)
    second = _last_month_noon() + datetime.timedelta(days=1)
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.TASK_ACCEPTED, amount=30,
                     at=_last_month_noon())
        fortress_settle_quarter(start=quarter, now=second)
        before = {r.branch_id: r.rank for r in BranchQuarter.objects.filter(quarter=quarter)}
        assert before == {b1.pk: 1, b2.pk: 2}
        points_award(member=org_a.members[1], rule=RuleCode.TASK_ACCEPTED, amount=90,
                     at=second + datetime.timedelta(days=1))
        fortress_settle_month_task(month.isoformat())
        rows = {r.branch_id: r for r in BranchQuarter.objects.filter(quarter=quarter)}
        assert {b: r.rank for b, r in rows.items()} == {b1.pk: 2, b2.pk: 1}
        assert rows[b2.pk].flag and not rows[b1.pk].flag
        # Made of the months as now settled: the month's points shares are the final ones.
        final = {r.branch_id: r.points_share for r in BranchMonth.objects.filter(month=month)}
        assert final[b2.pk] == 1 and final[b1.pk] < 1


def test_a_month_without_a_settled_quarter_leaves_the_quarter_alone(org_a, tasks_run_here):
    with schema_context("alpha"):
        fortress_settle_month_task(previous_month().isoformat())
        assert BranchMonth.objects.exists() and not BranchQuarter.objects.exists()


def test_the_beat_skips_a_company_without_branches_and_follows_the_points_close_on_status(
        org_a, org_b, make_company, tasks_run_here):
    """A company without branches gets nothing. Suspended and archived companies are settled,
    as the points close closes them (their data is kept; a resumed company finds its months
    settled): both fan-outs go to the same companies."""
    make_company(name="丙公司", slug="gamma")  # no branches
    connection.set_schema_to_public()
    Company.objects.filter(slug__in=["alpha", "beta", "gamma"]).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    Company.objects.filter(slug="alpha").update(status=CompanyStatus.SUSPENDED)
    Company.objects.filter(slug="beta").update(status=CompanyStatus.ARCHIVED)
    month = previous_month()
    assert tasks._settled_companies(month) == points_tasks._closed_companies(month) == [
        "alpha", "beta", "gamma"]
    with schema_context("gamma"):
        assert not OrgUnit.objects.filter(kind=UnitKind.BRANCH).exists()
    at_three = timezone.make_aware(datetime.datetime.combine(month_start(), datetime.time(3)))
    assert fortress_months_send(now=at_three) == ["alpha", "beta"]
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            assert BranchMonth.objects.filter(month=month).count() == 2
    with schema_context("gamma"):
        assert not BranchMonth.objects.exists()
    # A company with no schema (pending, failed) is in neither.
    Company.objects.filter(slug="gamma").update(status=CompanyStatus.FAILED)
    assert tasks._settled_companies(month) == points_tasks._closed_companies(month) == [
        "alpha", "beta"]
