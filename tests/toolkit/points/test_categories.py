"""Points by category: every entry counts in one, the monthly category totals agree with the
ledger, a correction counts where the admin put it, and entries from before categories are
mapped by rule while the chain still verifies."""

import datetime
import importlib

from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from toolkit.periods import month_start
from toolkit.points import selectors
from toolkit.points.ledger import chain_check, entry_hash
from toolkit.points.models import (
    LedgerEntry,
    LedgerHead,
    MonthlyCategoryTotal,
    MonthlyTotal,
    PointRule,
    RuleCode,
)
from toolkit.points.services import PointsRefused, points_award, points_correct

MIGRATION = importlib.import_module("toolkit.points.migrations.0006_points_categories")


def _totals(member) -> dict[str, int]:
    return dict(MonthlyCategoryTotal.objects.filter(member=member)
                .values_list("category").annotate(t=Sum("points")).values_list("category", "t"))


def _old_style_entry(member, rule: str, amount: int) -> LedgerEntry:
    """An entry as written before categories existed: no category, hashed without one."""
    head = LedgerHead.objects.select_for_update().get(pk=1)
    entry = LedgerEntry(seq=head.seq + 1, member=member, rule_code=rule, amount=amount,
                        balance_after=0, created_at=timezone.now(), prev_hash=head.last_hash)
    entry.hash = entry_hash(entry)
    entry.save()
    LedgerHead.objects.filter(pk=1).update(seq=entry.seq, last_hash=entry.hash)
    return entry


def test_every_rule_has_a_category_from_the_map(org_a):
    with schema_context("alpha"):
        categories = dict(PointRule.objects.values_list("code", "category"))
    assert categories["meeting_attendance"] == "org_life"
    assert categories["study"] == "study" and categories["quiz"] == "study"
    assert categories["task_accepted"] == "contribution"


def test_category_totals_equal_the_ledger_sum_per_category(org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.STUDY)
        points_award(member=member, rule=RuleCode.QUIZ)
        points_award(member=member, rule=RuleCode.MEETING_ATTENDANCE)
        points_award(member=member, rule=RuleCode.TASK_ACCEPTED, amount=25)
        points_award(member=member, rule=RuleCode.REDEMPTION, amount=-10)  # spending: no category
        points_correct(member=member, amount=-4, note="重复记分", by=org_a.admin,
                       category="negative")
        expected = {"study": 5, "org_life": 5, "contribution": 25, "negative": -4}
        assert _totals(member) == expected
        assert selectors.ledger_category_sums(member=member) == expected
        # MonthlyTotal is as it was: everything but spending, one row.
        assert MonthlyTotal.objects.get(member=member).points == 31
        assert selectors.category_totals(months=[month_start()]) == {member.pk: expected}
        assert chain_check().intact


def test_a_corrections_category_counts_where_the_admin_put_it(org_a):
    member = org_a.members[3]
    with schema_context("alpha"):
        entry = points_correct(member=member, amount=6, note="补录学习", by=org_a.admin,
                               category="study")
        assert entry.category == "study"
        assert _totals(member) == {"study": 6}
        try:
            points_correct(member=member, amount=6, note="x", by=org_a.admin, category="")
        except PointsRefused as refused:
            assert refused.code == "correction_category_missing"
        else:
            raise AssertionError("a correction without a category was taken")


def test_changing_a_rules_category_leaves_earlier_entries_where_they_were(org_a):
    member = org_a.members[4]
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.LESSON_SHARED)
        PointRule.objects.filter(code=RuleCode.LESSON_SHARED).update(category="contribution")
        points_award(member=member, rule=RuleCode.LESSON_SHARED)
        assert _totals(member) == {"study": 5, "contribution": 5}
        assert selectors.ledger_category_sums(member=member) == {"study": 5, "contribution": 5}


def test_old_entries_map_by_rule_verify_and_are_backfilled(org_a):
    member = org_a.members[5]
    with schema_context("alpha"):
        _old_style_entry(member, RuleCode.MEETING_ATTENDANCE, 5)
        _old_style_entry(member, RuleCode.CORRECTION, -3)
        _old_style_entry(member, RuleCode.CORRECTION, 2)
        _old_style_entry(member, RuleCode.REDEMPTION, -1)
        new = points_award(member=member, rule=RuleCode.STUDY)  # a new entry, category kept
        assert new.category == "study"
        assert chain_check().intact  # old (no category) and new (category hashed) both verify
        assert selectors.ledger_category_sums(member=member) == {
            "org_life": 5, "negative": -3, "positive": 2, "study": 2}
        # The migration's backfill gives the old entries their totals from the same map.
        MonthlyCategoryTotal.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(MIGRATION.BACKFILL, {
                "zone": "Asia/Shanghai", "codes": list(MIGRATION.RULE_CATEGORY),
                "categories": list(MIGRATION.RULE_CATEGORY.values())})
        assert _totals(member) == {"org_life": 5, "negative": -3, "positive": 2, "study": 2}


def test_a_stored_category_is_covered_by_the_hash(org_a):
    member = org_a.members[1]
    with schema_context("alpha"):
        entry = points_award(member=member, rule=RuleCode.STUDY)
        tampered = LedgerEntry.objects.get(pk=entry.pk)
        tampered.category = "contribution"
        assert entry_hash(tampered) != entry.hash


def test_the_month_of_a_category_total_is_shanghais(org_a):
    member = org_a.members[0]
    late = datetime.datetime(2026, 3, 31, 17, 0, tzinfo=datetime.UTC)  # 1 April, 01:00 local
    with schema_context("alpha"):
        points_award(member=member, rule=RuleCode.STUDY, at=late)
        assert MonthlyCategoryTotal.objects.get(member=member).month == datetime.date(2026, 4, 1)
