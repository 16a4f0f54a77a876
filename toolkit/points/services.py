"""The one way points change: points_award. Every module that scores calls it."""

import datetime

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit.org.models import Member
from toolkit.periods import local_day_bounds, local_month_bounds, month_start
from toolkit.points.ledger import entry_hash
from toolkit.points.models import (
    LedgerEntry,
    LedgerHead,
    MemberPoints,
    MonthlyTotal,
    PointRule,
    RuleCode,
)


class PointsRefused(Exception):
    """The award would leave a negative balance; the message is shown to the member."""


@transaction.atomic
def points_award(*, member: Member, rule: str, amount: int | None = None, source=None,
                 note: str = "", at: datetime.datetime | None = None) -> LedgerEntry | None:
    """Appends one ledger entry and keeps the balance and the month's total with it.

    `amount` defaults to the rule's points; positive amounts are cut to the rule's daily and
    monthly caps (None when nothing is left to award, or the rule is switched off).
    """
    at = at or timezone.now()
    rule_row = PointRule.objects.get(code=rule)
    if not rule_row.active:
        return None
    amount = rule_row.points if amount is None else amount
    if amount > 0:
        amount = min(amount, _room_under_caps(member, rule_row, at))
    if amount == 0:
        return None
    balance, _created = MemberPoints.objects.select_for_update().get_or_create(member=member)
    if balance.balance + amount < 0:
        raise PointsRefused(_("积分不足：当前 %(have)s 分，需要 %(need)s 分。") % {
            "have": balance.balance, "need": -amount})
    if rule != RuleCode.REDEMPTION:  # spending points does not lower a month's ranking
        _monthly_add(member, at, amount)
    # The chain's head is locked last and held only to the commit: appends are serialised,
    # so sequence numbers and links follow commit order.
    head = LedgerHead.objects.select_for_update().get(pk=1)
    entry = LedgerEntry(
        seq=head.seq + 1, member=member, rule_code=rule, amount=amount,
        balance_after=balance.balance + amount, note=note[:200], created_at=at,
        prev_hash=head.last_hash, **_source_fields(source),
    )
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    LedgerHead.objects.filter(pk=1).update(seq=entry.seq, last_hash=entry.hash)
    MemberPoints.objects.filter(pk=member.pk).update(
        balance=F("balance") + amount, earned=F("earned") + max(amount, 0))
    return entry


def points_correct(*, member: Member, amount: int, note: str, by) -> LedgerEntry:
    """A correction is a new entry, never an edit (the ledger refuses edits anyway)."""
    if not note.strip():
        raise PointsRefused(_("更正必须写明原因。"))
    return points_award(member=member, rule=RuleCode.CORRECTION, amount=amount,
                        note=f"{note.strip()}（{by.get_full_name()}）")


def _room_under_caps(member: Member, rule: PointRule, at: datetime.datetime) -> int:
    room = 10**9
    for cap, (start, end) in ((rule.daily_cap, local_day_bounds(timezone.localdate(at))),
                              (rule.monthly_cap, local_month_bounds(month_start(
                                  timezone.localdate(at))))):
        if cap is not None:
            used = (LedgerEntry.objects.filter(member=member, rule_code=rule.code,
                                               created_at__gte=start, created_at__lt=end)
                    .aggregate(total=Sum("amount"))["total"] or 0)
            room = min(room, max(cap - used, 0))
    return room


def _monthly_add(member: Member, at: datetime.datetime, amount: int) -> None:
    month = month_start(timezone.localdate(at))
    updated = MonthlyTotal.objects.filter(member=member, month=month).update(
        points=F("points") + amount)
    if not updated:
        MonthlyTotal.objects.create(member=member, month=month, points=amount)


def _source_fields(source) -> dict:
    if source is None:
        return {"source_type": "", "source_id": ""}
    return {"source_type": source._meta.label_lower[:40], "source_id": str(source.pk)}


@transaction.atomic
def rule_update(*, rule: PointRule, points: int, daily_cap: int | None,
                monthly_cap: int | None, active: bool) -> PointRule:
    rule.points, rule.daily_cap, rule.monthly_cap, rule.active = (points, daily_cap, monthly_cap,
                                                                  active)
    rule.save()
    return rule
