"""The one way points change: points_award. Every module that scores calls it."""

import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.org.models import Member
from toolkit.periods import local_day_bounds, local_month_bounds, month_start
from toolkit.points.ledger import entry_hash
from toolkit.points.models import LedgerEntry, PointCategory, PointRule, RuleCode, category_of

# Spending and an admin's correction are not scoring: switching their rule off must not make
# a redemption free or a correction vanish.
ALWAYS_ON = {RuleCode.REDEMPTION, RuleCode.CORRECTION}


class PointsRefused(Refused):
    """The award would leave a negative balance; the message is shown to the member."""


@transaction.atomic
def points_award(*, member: Member, rule: str, amount: int | None = None, source=None,
                 note: str = "", at: datetime.datetime | None = None,
                 category: str = "") -> LedgerEntry | None:
    """Appends one ledger entry and keeps the balance and the month's total with it.

    `amount` defaults to the rule's points; positive amounts are cut to the rule's daily and
    monthly caps (None when nothing is left to award, or the rule is switched off).
    `category` defaults to the rule's (a correction's, when not given, to its sign's).

    Every module's scoring goes through here, so it is written as plain SQL on one cursor:
    one `SET search_path` and six short statements, not an ORM query apiece.
    """
    at = at or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT points, daily_cap, monthly_cap, active, category "
                       "FROM points_pointrule WHERE code = %s", [rule])
        found = cursor.fetchone()
        if found is None:
            raise PointRule.DoesNotExist(rule)
        points, daily_cap, monthly_cap, active, rule_category = found
        if not active and rule not in ALWAYS_ON:
            return None
        amount = points if amount is None else amount
        if amount == 0:
            return None
        if amount > 0 and (daily_cap is not None or monthly_cap is not None):
            # The member's row is locked before the caps are summed: two awards at once
            # cannot both see room under a cap.
            _balance_lock(cursor, member.pk)
            amount = min(amount, _room_under_caps(cursor, member.pk, rule, daily_cap,
                                                   monthly_cap, at))
            if amount == 0:
                return None
        balance = _balance_add(cursor, member.pk, amount)
        if balance < 0:
            raise PointsRefused(_("积分不足：当前 %(have)s 分，需要 %(need)s 分。") % {
                "have": balance - amount, "need": -amount}, code="points_insufficient")
        if category not in PointCategory.values:
            category = (category_of(rule_code=rule, amount=amount)
                        if rule == RuleCode.CORRECTION else rule_category)
        if rule != RuleCode.REDEMPTION:  # spending points does not lower a month's ranking
            month = month_start(timezone.localdate(at))
            cursor.execute(_MONTHLY_UPSERT, [member.pk, month, amount])
            cursor.execute(_CATEGORY_UPSERT, [member.pk, month, category, amount])
        # The chain's head is locked last and held only to the commit: appends are
        # serialised, so sequence numbers and links follow commit order.
        cursor.execute("UPDATE points_ledgerhead SET seq = seq + 1 WHERE id = 1 "
                       "RETURNING seq, last_hash")
        seq, prev_hash = cursor.fetchone()
        entry = LedgerEntry(seq=seq, member=member, rule_code=rule, amount=amount,
                            balance_after=balance, note=note[:200], created_at=at,
                            category=category, prev_hash=prev_hash, **_source_fields(source))
        entry.hash = entry_hash(entry)
        cursor.execute(_ENTRY_INSERT, [entry.seq, entry.member_id, entry.rule_code,
                                       entry.amount, entry.balance_after, entry.source_type,
                                       entry.source_id, entry.note, entry.created_at,
                                       entry.category, entry.prev_hash, entry.hash])
        entry.pk = cursor.fetchone()[0]
        entry._state.adding = False
        cursor.execute("UPDATE points_ledgerhead SET last_hash = %s WHERE id = 1", [entry.hash])
    return entry


_MONTHLY_UPSERT = """
INSERT INTO points_monthlytotal (member_id, month, points) VALUES (%s, %s, %s)
ON CONFLICT (member_id, month) DO UPDATE SET points = points_monthlytotal.points + EXCLUDED.points
"""
_CATEGORY_UPSERT = """
INSERT INTO points_monthlycategorytotal (member_id, month, category, points)
VALUES (%s, %s, %s, %s)
ON CONFLICT (member_id, month, category) DO UPDATE
SET points = points_monthlycategorytotal.points + EXCLUDED.points
"""
_ENTRY_INSERT = """
INSERT INTO points_ledgerentry (seq, member_id, rule_code, amount, balance_after, source_type,
                                source_id, note, created_at, category, prev_hash, hash)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id
"""


_LOCK = "SELECT 1 FROM points_memberpoints WHERE member_id = %s FOR UPDATE"


def _balance_lock(cursor, member_id: int) -> None:
    cursor.execute(_LOCK, [member_id])
    if cursor.fetchone() is None:  # the member's first points
        cursor.execute("INSERT INTO points_memberpoints (member_id, balance, earned) "
                       "VALUES (%s, 0, 0) ON CONFLICT (member_id) DO NOTHING", [member_id])
        cursor.execute(_LOCK, [member_id])


def _balance_add(cursor, member_id: int, amount: int) -> int:
    """Adds to the balance (locking the member's row) and returns the new balance."""
    earned = max(amount, 0)
    cursor.execute("UPDATE points_memberpoints SET balance = balance + %s, "
                   "earned = earned + %s WHERE member_id = %s RETURNING balance",
                   [amount, earned, member_id])
    row = cursor.fetchone()
    if row is None:  # the member's first points
        cursor.execute(
            "INSERT INTO points_memberpoints (member_id, balance, earned) VALUES (%s, %s, %s) "
            "ON CONFLICT (member_id) DO UPDATE SET "
            "balance = points_memberpoints.balance + EXCLUDED.balance, "
            "earned = points_memberpoints.earned + EXCLUDED.earned RETURNING balance",
            [member_id, amount, earned])
        row = cursor.fetchone()
    return row[0]


def points_correct(*, member: Member, amount: int, note: str, by,
                   category: str) -> LedgerEntry:
    """A correction is a new entry, never an edit (the ledger refuses edits anyway); the
    admin says which category it counts in."""
    if not note.strip():
        raise PointsRefused(_("更正必须写明原因。"), code="correction_reason_missing")
    if category not in PointCategory.values:
        raise PointsRefused(_("请选择更正的类别。"), code="correction_category_missing")
    return points_award(member=member, rule=RuleCode.CORRECTION, amount=amount,
                        note=f"{note.strip()}（{by.get_full_name()}）", category=category)


def _room_under_caps(cursor, member_id: int, rule: str, daily_cap: int | None,
                     monthly_cap: int | None, at: datetime.datetime) -> int:
    room = 10**9
    day = timezone.localdate(at)
    for cap, (start, end) in ((daily_cap, local_day_bounds(day)),
                              (monthly_cap, local_month_bounds(month_start(day)))):
        if cap is not None:
            cursor.execute("SELECT COALESCE(SUM(amount), 0) FROM points_ledgerentry "
                           "WHERE member_id = %s AND rule_code = %s AND created_at >= %s "
                           "AND created_at < %s", [member_id, rule, start, end])
            room = min(room, max(cap - cursor.fetchone()[0], 0))
    return room


def _source_fields(source) -> dict:
    if source is None:
        return {"source_type": "", "source_id": ""}
    return {"source_type": source._meta.label_lower[:40], "source_id": str(source.pk)}


@transaction.atomic
def rule_update(*, rule: PointRule, points: int, daily_cap: int | None,
                monthly_cap: int | None, active: bool, category: str | None = None) -> PointRule:
    """Changes an existing rule; the rules themselves are fixed (one per RuleCode). A new
    category applies to entries from now on (each entry keeps the one it was written with)."""
    rule = PointRule.objects.select_for_update().get(pk=rule.pk)
    rule.points, rule.daily_cap, rule.monthly_cap, rule.active = (points, daily_cap, monthly_cap,
                                                                  active)
    if category is not None:
        rule.category = category
    rule.full_clean()  # the model's bounds hold whoever calls
    rule.save()
    return rule


@transaction.atomic
def point_rules_save(*, rules: list[tuple[PointRule, dict]]) -> None:
    """Saves the changed rules of the admin's rules page together (all or nothing). `rules`
    holds (rule, its new values); the rules themselves are fixed, so none is added."""
    for rule, values in rules:
        rule_update(rule=rule, **{key: values[key] for key in (
            "points", "daily_cap", "monthly_cap", "active") if key in values},
                    category=values.get("category"))
