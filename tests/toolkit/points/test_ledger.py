import datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.points import selectors
from toolkit.points.ledger import chain_check
from toolkit.points.models import LedgerEntry, MemberPoints, MonthlyTotal, PointRule, RuleCode
from toolkit.points.services import PointsRefused, points_award, points_correct


def test_award_appends_a_linked_entry_and_keeps_balance_and_month(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        first = points_award(member=member, rule=RuleCode.STUDY)
        second = points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=30)
        assert (first.seq, second.seq) == (1, 2)
        assert second.prev_hash == first.hash and first.prev_hash == "0" * 64
        assert second.balance_after == 32
        assert MemberPoints.objects.get(member=member).balance == 32
        assert MonthlyTotal.objects.get(member=member).points == 32
        assert chain_check().intact and chain_check().entries == 2


def test_caps_cut_awards_and_an_exhausted_cap_awards_nothing(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        PointRule.objects.filter(code=RuleCode.STUDY).update(points=4, daily_cap=10)
        amounts = [e.amount if e else None
                   for e in (points_award(member=member, rule=RuleCode.STUDY) for _ in range(4))]
        assert amounts == [4, 4, 2, None]
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        assert points_award(member=member, rule=RuleCode.STUDY, at=tomorrow).amount == 4


def test_spending_is_refused_below_zero_and_does_not_lower_the_ranking(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=20)
        with pytest.raises(PointsRefused, match="积分不足"):
            points_award(member=member, rule=RuleCode.REDEMPTION, amount=-30)
        points_award(member=member, rule=RuleCode.REDEMPTION, amount=-15)
        assert selectors.balance_of(member=member) == 5
        assert MonthlyTotal.objects.get(member=member).points == 20


def test_a_correction_is_a_new_entry(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        wrong = points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=50)
        fix = points_correct(member=member, amount=-40, note="任务积分录错", by=org_a.admin,
                             category="contribution")
        assert LedgerEntry.objects.get(pk=wrong.pk).amount == 50  # untouched
        assert fix.amount == -40 and "任务积分录错" in fix.note
        assert selectors.balance_of(member=member) == 10
        assert chain_check().intact


@pytest.mark.parametrize("statement", [
    "UPDATE points_ledgerentry SET amount = 999",
    "DELETE FROM points_ledgerentry",
    "TRUNCATE points_ledgerentry CASCADE",
])
def test_the_database_refuses_to_change_the_ledger(org_a, statement):
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.STUDY)
        with connection.cursor() as cursor:
            # Django's foreign keys are deferred; settle them so TRUNCATE reaches the trigger.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
        assert LedgerEntry.objects.get().amount == 2


def test_points_verify_names_the_first_tampered_entry(org_a, capsys):
    member = org_a.members[0]
    with schema_context("alpha"):
        for amount in (5, 6, 7):
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=amount)
        with connection.cursor() as cursor:
            # Someone with the database owner's rights switches the guard off and edits.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE points_ledgerentry DISABLE TRIGGER points_ledger_no_change")
            cursor.execute("UPDATE points_ledgerentry SET amount = 60 WHERE seq = 2")
            cursor.execute("ALTER TABLE points_ledgerentry ENABLE TRIGGER points_ledger_no_change")
        check = chain_check()
    assert (check.intact, check.broken_seq, check.entries) == (False, 2, 1)
    assert "do not match" in check.reason
    with pytest.raises(Exception, match="ledger broken in: alpha"):
        call_command("points_verify", schema="alpha")
    assert "BROKEN at entry #2" in capsys.readouterr().out


def test_points_verify_command_passes_an_intact_ledger(org_a, capsys):
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.STUDY)
    call_command("points_verify", schema="alpha")
    assert "alpha: intact, 1 entries" in capsys.readouterr().out


def test_another_companys_ledger_is_separate(org_a, org_b):
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.TASK_ACCEPTED, amount=40)
    with schema_context("beta"):
        assert LedgerEntry.objects.count() == 0 and MonthlyTotal.objects.count() == 0
        assert selectors.leaderboard() == []
        entry = points_award(member=org_b.members[0], rule=RuleCode.STUDY)
        assert entry.seq == 1  # its own chain


def test_an_award_made_in_shanghai_time_verifies(org_a):
    """The hash is of the time in UTC: an entry written with +08:00 reads back in UTC."""
    import zoneinfo

    shanghai = datetime.datetime(2026, 10, 10, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with schema_context("alpha"):
        points_award(member=org_a.members[0], rule=RuleCode.STUDY, at=shanghai)
        assert chain_check().intact


def test_spending_and_corrections_work_even_with_their_rules_switched_off(org_a):
    member = org_a.members[0]
    with schema_context("alpha"):
        PointRule.objects.filter(code__in=[RuleCode.REDEMPTION, RuleCode.CORRECTION]).update(
            active=False)
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=30)
        assert points_correct(member=member, amount=-5, note="重复计分", by=org_a.admin,
                              category="negative")
        assert points_award(member=member, rule=RuleCode.REDEMPTION, amount=-20).amount == -20
        assert selectors.balance_of(member=member) == 5


@pytest.mark.django_db(transaction=True)
def test_two_awards_at_once_cannot_both_use_the_last_of_a_cap(make_company, committed_schemas):
    import threading

    from django.db import connections

    from tests.toolkit.conftest import build_org

    make_company(name="甲公司", slug="alpha")
    member = build_org("alpha", members=1, branches=1).members[0]
    with schema_context("alpha"):
        PointRule.objects.filter(code=RuleCode.STUDY).update(points=10, daily_cap=10)
    barrier = threading.Barrier(6)

    def award():
        try:
            with schema_context("alpha"):
                barrier.wait()
                points_award(member=member, rule=RuleCode.STUDY)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with schema_context("alpha"):
        assert selectors.balance_of(member=member) == 10
        assert LedgerEntry.objects.count() == 1 and chain_check().intact


def test_a_member_s_history_reads_newest_first_by_the_date_it_shows(org_a, client):
    """Awards made late for an earlier day (a meeting recorded a week after) come later in the
    chain than newer ones: the history is ordered by the date it shows, the chain is not
    touched."""
    member = org_a.members[0]
    now = timezone.now()
    days = [40, 3, 90, 10]  # appended in this order, dated this many days ago
    with schema_context("alpha"):
        for n, ago in enumerate(days):
            points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=n + 1,
                         at=now - datetime.timedelta(days=ago))
        seqs_before = list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash"))
        shown = [e.created_at for e in selectors.history(member=member)]
        assert shown == sorted(shown, reverse=True)
        assert [e.amount for e in selectors.ledger_of(member=member)] == [2, 4, 1, 3]
        assert list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash")) == seqs_before
        assert chain_check().intact

    login(client, "alpha.localhost", member.user.username)
    page = client.get("/points/mine/", HTTP_HOST="alpha.localhost").content.decode()
    dates = [timezone.localtime(now - datetime.timedelta(days=ago)).strftime("%Y-%m-%d")
             for ago in sorted(days)]
    positions = [page.index(d) for d in dates]
    assert positions == sorted(positions), (dates, positions)
