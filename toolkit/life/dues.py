"""Party dues (党费): the monthly amount from the declared after-tax wage, payments, arrears.

The standard brackets apply to the whole wage (not progressively): up to ¥3,000 0.5%; over
3,000 to 5,000 1%; over 5,000 to 10,000 1.5%; over 10,000 2%. Money is Decimal, rounded to
the fen (half up)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from toolkit.life.models import DuesCategory, DuesPayment, DuesProfile, DuesSettings
from toolkit.org.models import Member
from toolkit.periods import add_months, month_start
from toolkit.points.models import RuleCode
from toolkit.points.services import PointsRefused, points_award

FEN = Decimal("0.01")
BRACKETS = [(Decimal("3000"), Decimal("0.005")), (Decimal("5000"), Decimal("0.01")),
            (Decimal("10000"), Decimal("0.015")), (None, Decimal("0.02"))]


class DuesRefused(Refused):
    pass


def rate_for(wage: Decimal) -> Decimal:
    for ceiling, rate in BRACKETS:
        if ceiling is None or wage <= ceiling:
            return rate
    raise AssertionError("unreachable")


def monthly_dues(profile: DuesProfile | None, dues_settings: DuesSettings) -> Decimal:
    if profile is None:
        return Decimal("0.00")
    fixed = {DuesCategory.STUDENT: dues_settings.student,
             DuesCategory.UNEMPLOYED: dues_settings.unemployed,
             DuesCategory.RETIRED: dues_settings.retired}
    if profile.category in fixed:
        return fixed[profile.category]
    if profile.monthly_wage is None:
        return Decimal("0.00")  # no wage declared yet: nothing is computed
    return (profile.monthly_wage * rate_for(profile.monthly_wage)).quantize(FEN, ROUND_HALF_UP)


def settings_row() -> DuesSettings:
    return DuesSettings.objects.get_or_create(pk=1)[0]


@transaction.atomic
def dues_profile_save(*, member: Member, category: str, monthly_wage: Decimal | None
                      ) -> DuesProfile:
    if monthly_wage is not None and monthly_wage < 0:
        raise DuesRefused(_("工资不能为负数。"), code="salary_negative")
    profile, _created = DuesProfile.objects.update_or_create(
        member=member, defaults={"category": category, "monthly_wage": monthly_wage})
    return profile


def due_date(month: datetime.date, dues_settings: DuesSettings) -> datetime.date:
    return month.replace(day=min(dues_settings.due_day, 28))


@transaction.atomic
def dues_payment_record(*, member: Member, month: datetime.date, by,
                        paid_at: datetime.datetime | None = None) -> DuesPayment:
    """Records a month's dues at the member's computed amount; on time scores points."""
    month = month_start(month)
    paid_at = paid_at or timezone.now()
    # The member's row is locked first: a double submit waits here, then finds the payment.
    Member.objects.select_for_update().get(pk=member.pk)
    dues_settings = settings_row()
    amount = monthly_dues(DuesProfile.objects.filter(member=member).first(), dues_settings)
    if DuesPayment.objects.filter(member=member, month=month).exists():
        raise DuesRefused(_("%(month)s 的党费已经登记过了。") % {"month": f"{month:%Y-%m}"},
                          code="dues_already_recorded")
    on_time = timezone.localdate(paid_at) <= due_date(month, dues_settings)
    payment = DuesPayment.objects.create(member=member, month=month, amount=amount,
                                         paid_at=paid_at, on_time=on_time, recorded_by=by)
    if on_time:
        try:
            points_award(member=member, rule=RuleCode.DUES_ON_TIME, source=payment,
                         note=f"{month:%Y-%m}")
        except PointsRefused as refusal:
            raise DuesRefused(str(refusal), code=refusal.code) from refusal
    return payment


def months_due(today: datetime.date | None = None, back: int = 3) -> list[datetime.date]:
    """The months whose dues should be paid by now: the last `back` months, and this one once
    its due date has passed."""
    today = today or timezone.localdate()
    current = month_start(today)
    months = [add_months(current, -n) for n in range(back, 0, -1)]
    if today > due_date(current, settings_row()):
        months.append(current)
    return months


def months_owed(member: Member, months: list[datetime.date], dues_settings: DuesSettings
                ) -> list[datetime.date]:
    """Of `months`, those the member was here for: a month whose due date passed before they
    joined this company (their account here was made) is not theirs to pay."""
    joined = timezone.localdate(member.user.date_joined)
    return [month for month in months if due_date(month, dues_settings) >= joined]


def months_behind(member: Member, today: datetime.date | None = None) -> list[datetime.date]:
    """The months due that this member has not paid (one query)."""
    months = months_owed(member, months_due(today), settings_row())
    paid = set(DuesPayment.objects.filter(member=member, month__in=months)
               .values_list("month", flat=True))
    return [month for month in months if month not in paid]


def members_behind(today: datetime.date | None = None) -> list[tuple[Member, list]]:
    """Who has not paid which of the months due (two queries)."""
    months, dues_settings = months_due(today), settings_row()
    paid = set(DuesPayment.objects.filter(month__in=months).values_list("member_id", "month"))
    members: QuerySet[Member] = Member.objects.select_related("user", "unit").order_by("unit", "id")
    behind = []
    for member in members:
        missing = [m for m in months_owed(member, months, dues_settings)
                   if (member.pk, m) not in paid]
        if missing:
            behind.append((member, missing))
    return behind
