"""先锋指数: the formula's settings, the quarter's drafts, and its flow — self-assessment,
branch review, committee confirmation, 党员之星. Each step refuses to run out of order."""

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2.extras import execute_values

from core.errors import Forbidden, Refused
from toolkit.indices import formula
from toolkit.indices.models import (
    IndexItem,
    IndexSettings,
    ItemCode,
    ItemKind,
    ItemRecord,
    MemberIndex,
    Quarter,
    Step,
)
from toolkit.indices.selectors import (
    may_confirm,
    may_review,
    self_overdue,
    settings_row,
)
from toolkit.life.models import Meeting
from toolkit.life.signals import AbsencesOutcome
from toolkit.org.models import Member
from toolkit.org.selectors import unit_managed_by
from toolkit.periods import add_months, months_of, quarter_start
from toolkit.points.selectors import category_totals

SETTINGS_FIELDS = ("w_study", "w_org_life", "w_contribution", "w_positive", "w_negative",
                   "star_rule", "star_share", "star_threshold", "self_days", "review_days",
                   "confirm_days", "f_points", "f_meetings", "f_dues", "f_tasks", "flag_title",
                   "flag_count")


class IndexRefused(Refused):
    """A step of the quarter's flow refused: out of order, late, or incomplete."""


@transaction.atomic
def index_settings_save(*, values: dict) -> IndexSettings:
    """The admin's formula page; quarters already opened keep the formula they were
    computed with (Quarter.formula)."""
    row = IndexSettings.objects.select_for_update().get(pk=settings_row().pk)
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(row, name, values[name])
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def index_item_save(*, item: IndexItem | None = None, name: str, kind: str, points: Decimal,
                    active: bool = True, code: str = "") -> IndexItem:
    if code == ItemCode.ABSENT_WITHOUT_LEAVE and kind != ItemKind.NEGATIVE:
        raise IndexRefused(_("“缺席未请假”自动登记只能用于减分项。"),
                           code="index_item_code_not_negative")
    item = item or IndexItem()
    item.name, item.kind, item.points, item.active = name.strip(), kind, points, active
    item.code = code
    item.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the refusal leaves the transaction usable
            item.save()
    except IntegrityError as error:
        # Two admins saving at once both pass full_clean; the constraint keeps one.
        constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
        if constraint == "indices_item_code_once":
            raise IndexRefused(_("已有加减分项使用这一自动登记，请刷新后再改。"),
                               code="index_item_code_taken") from error
        raise IndexRefused(_("已有同名的加减分项，请刷新后再改。"),
                           code="index_item_name_taken") from error
    return item


@transaction.atomic
def index_item_record(*, member: Member, item: IndexItem, note: str, by,
                      day: datetime.date | None = None) -> ItemRecord:
    """Gives a member a named item in the current quarter (before its drafts are computed),
    by whoever manages the member's unit."""
    if not unit_managed_by(user=by, unit_id=member.unit_id) or member.user_id == by.pk:
        raise Forbidden
    quarter = quarter_start(day or timezone.localdate())
    if Quarter.objects.filter(start=quarter).exists():
        raise IndexRefused(_("本季度的先锋指数已经计算，不能再记加减分项。"),
                           code="index_quarter_computed")
    if not item.active:
        raise IndexRefused(_("该加减分项已停用。"), code="index_item_inactive")
    return ItemRecord.objects.create(quarter=quarter, member=member, item=item,
                                     note=note.strip()[:200], recorded_by=by)


@transaction.atomic
def absences_item_record(*, meeting: Meeting, absent: list[Member], by) -> AbsencesOutcome:
    """The company's 缺席未请假 item (if it has one, active) for each member absent from the
    meeting without leave, in the meeting's quarter: once a meeting, and taken back from one
    no longer absent (a late sign-in). A quarter whose drafts are computed is left as it is.
    Returns the number of records the meeting now gives, or why it gives none."""
    item = IndexItem.objects.filter(code=ItemCode.ABSENT_WITHOUT_LEAVE, active=True).first()
    quarter = quarter_start(timezone.localdate(meeting.starts_at))
    if item is None:
        return AbsencesOutcome(skipped=_("没有启用“缺席未请假”自动登记的减分项（指数设置）。"))
    if Quarter.objects.filter(start=quarter).exists():
        return AbsencesOutcome(skipped=_("该会议所在季度的先锋指数已经计算。"))
    mine = ItemRecord.objects.filter(meeting=meeting, item=item)
    mine.exclude(member__in=absent).delete()
    given = set(mine.values_list("member_id", flat=True))
    ItemRecord.objects.bulk_create(
        [ItemRecord(quarter=quarter, member=m, item=item, meeting=meeting, recorded_by=by,
                    note=meeting.title[:200]) for m in absent if m.pk not in given],
        ignore_conflicts=True)  # two closes at once: the constraint keeps one each
    return AbsencesOutcome(records=mine.count())


def formula_snapshot(*, row: IndexSettings) -> dict:
    """The formula in force, kept with the quarter's results (Decimals as strings)."""
    return {
        "weights": {c: str(getattr(row, f"w_{c}")) for c in formula.CATEGORIES},
        "items": [{"name": i.name, "points": str(i.signed)}
                  for i in IndexItem.objects.filter(active=True)],
        "stars": {"rule": row.star_rule, "share": row.star_share,
                  "threshold": str(row.star_threshold)},
        "proration": "points × 3 / months present; items added whole",
    }


@transaction.atomic
def quarter_open(*, start: datetime.date, today: datetime.date | None = None) -> Quarter:
    """Computes every member's draft for a quarter that has ended: a handful of queries and
    one bulk insert, however many members."""
    today = today or timezone.localdate()
    start = quarter_start(start)
    if add_months(start, 3) > today:
        raise IndexRefused(_("该季度尚未结束。"), code="index_quarter_not_over")
    if Quarter.objects.filter(start=start).exists():
        raise IndexRefused(_("该季度的先锋指数已经计算。"), code="index_quarter_exists")
    row = settings_row()
    snapshot = formula_snapshot(row=row)
    self_deadline = today + datetime.timedelta(days=row.self_days)
    review_deadline = self_deadline + datetime.timedelta(days=row.review_days)
    quarter = Quarter.objects.create(
        start=start, formula=snapshot, self_deadline=self_deadline,
        review_deadline=review_deadline,
        confirm_deadline=review_deadline + datetime.timedelta(days=row.confirm_days))
    end = timezone.make_aware(datetime.datetime.combine(add_months(start, 3), datetime.time.min))
    sums = category_totals(months=months_of("quarter", start))
    signed = Case(When(item__kind=ItemKind.NEGATIVE, then=-F("item__points")),
                  default=F("item__points"), output_field=DecimalField())
    item_sums = dict(ItemRecord.objects.filter(quarter=start).values_list("member_id")
                     .annotate(total=Sum(signed)).values_list("member_id", "total"))
    first = start.year * 12 + start.month - 1
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERS.format(member=Member._meta.db_table,
                                       user=get_user_model()._meta.db_table),
                       {"zone": timezone.get_current_timezone_name(), "end": end})
        for member_id, unit_id, joined in cursor.fetchall():
            present = formula.months_present(joined_month_index=int(joined),
                                             quarter_month_index=first)
            mine = sums.get(member_id, {})
            items = item_sums.get(member_id, Decimal(0))
            draft = formula.vanguard_draft(sums=mine, items=items, months_present=present,
                                           weights=snapshot["weights"])
            breakdown = {**{c: mine.get(c, 0) for c in formula.CATEGORIES},
                         "items": str(items), "months": present}
            rows.append((quarter.pk, member_id, unit_id, json.dumps(breakdown), draft))
        # Plain rows, not model instances: 10,000 results in one statement per 2,000
        # (bench/indices.py); the fields a new result starts with are spelled out.
        execute_values(cursor, _INSERT, rows, template=_INSERT_TEMPLATE, page_size=2000)
    return quarter


# Active members who belonged to the company before the quarter ended, with the month they
# joined it on (as y*12+m-1, in the company's time zone).
_MEMBERS = """
SELECT m.id, m.unit_id,
       EXTRACT(YEAR FROM u.date_joined AT TIME ZONE %(zone)s) * 12
       + EXTRACT(MONTH FROM u.date_joined AT TIME ZONE %(zone)s) - 1
FROM {member} m JOIN {user} u ON u.id = m.user_id
WHERE u.is_active AND u.date_joined < %(end)s
"""
_INSERT = """
INSERT INTO indices_memberindex (quarter_id, member_id, unit_id, breakdown, draft, step,
    self_assessment, adjustment, adjust_reason, star) VALUES %s
"""
_INSERT_TEMPLATE = "(%s, %s, %s, %s::jsonb, %s, 'self', '', 0, '', false)"


def _locked(result: MemberIndex) -> MemberIndex:
    return (MemberIndex.objects.select_for_update(of=("self",)).select_related(
        "quarter", "member").get(pk=result.pk))


@transaction.atomic
def index_self_assess(*, result: MemberIndex, member: Member, text: str) -> MemberIndex:
    result = _locked(result)
    if result.member_id != member.pk:
        raise Forbidden
    if result.step != Step.SELF:
        raise IndexRefused(_("自评已经提交，不能再改。"), code="index_step_out_of_order")
    if self_overdue(quarter=result.quarter):
        raise IndexRefused(_("自评已过截止日期。"), code="index_deadline_passed")
    if not text.strip():
        raise IndexRefused(_("请写自评。"), code="index_self_assessment_missing")
    result.self_assessment, result.self_at, result.step = text.strip(), timezone.now(), Step.REVIEW
    result.save(update_fields=["self_assessment", "self_at", "step"])
    return result


@transaction.atomic
def index_review(*, result: MemberIndex, by, adjustment: Decimal, reason: str) -> MemberIndex:
    """The branch's review: after the self-assessment (or its deadline), by whoever manages
    the member's unit but the member; an adjustment needs a reason."""
    result = _locked(result)
    if not may_review(user=by, result=result):
        raise Forbidden
    if not (result.step == Step.REVIEW
            or (result.step == Step.SELF and self_overdue(quarter=result.quarter))):
        raise IndexRefused(_("现在不是支部审核这一步。"), code="index_step_out_of_order")
    if adjustment and not reason.strip():
        raise IndexRefused(_("调整分数必须写明理由。"), code="index_adjust_reason_missing")
    result.adjustment, result.adjust_reason = adjustment, reason.strip()[:200]
    result.reviewed_by, result.reviewed_at, result.step = by, timezone.now(), Step.CONFIRM
    result.save(update_fields=["adjustment", "adjust_reason", "reviewed_by", "reviewed_at",
                               "step"])
    return result


@transaction.atomic
def index_confirm(*, quarter: Quarter, by, result_ids: list[int] | None = None) -> int:
    """The committee confirms the final score (draft + adjustment) of the results at that
    step: the listed ones, or all of them. Never one's own. Returns how many."""
    if not may_confirm(user=by):
        raise Forbidden
    waiting = MemberIndex.objects.filter(quarter=quarter).exclude(member__user=by)
    if result_ids is not None:
        waiting = waiting.filter(pk__in=result_ids)
        if waiting.exclude(step=Step.CONFIRM).exists():
            raise IndexRefused(_("只有支部审核过的才能确认。"), code="index_step_out_of_order")
    return (waiting.filter(step=Step.CONFIRM)
            .update(final=F("draft") + F("adjustment"), step=Step.DONE,
                    confirmed_by=by, confirmed_at=timezone.now()))


@transaction.atomic
def stars_name(*, quarter: Quarter, by) -> int:
    """党员之星 by the quarter's own star rule, once every result is confirmed."""
    if not may_confirm(user=by):
        raise Forbidden
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    results = MemberIndex.objects.filter(quarter=quarter)
    if results.exclude(step=Step.DONE).exists():
        raise IndexRefused(_("还有未确认的先锋指数，不能评选党员之星。"),
                           code="index_not_all_confirmed")
    rule = quarter.formula["stars"]
    chosen = formula.stars(scores=dict(results.values_list("id", "final")), rule=rule["rule"],
                           share=rule["share"], threshold=Decimal(rule["threshold"]))
    results.update(star=Case(When(pk__in=chosen, then=Value(True)), default=Value(False)))
    quarter.stars_named_at = timezone.now()
    quarter.save(update_fields=["stars_named_at"])
    return len(chosen)
