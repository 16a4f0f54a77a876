import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from toolkit.life import dues
from toolkit.life.models import DuesCategory, DuesPayment, DuesProfile, DuesSettings
from toolkit.points.selectors import balance_of


@pytest.mark.parametrize("wage, expected", [
    ("0", "0.00"), ("2999.99", "15.00"), ("3000", "15.00"), ("3000.01", "30.00"),
    ("4567.89", "45.68"), ("5000", "50.00"), ("5000.01", "75.00"), ("8333.33", "125.00"),
    ("10000", "150.00"), ("10000.01", "200.00"), ("23456.78", "469.14"),
])
def test_monthly_dues_follow_the_brackets_to_the_fen(wage, expected):
    profile = DuesProfile(category=DuesCategory.EMPLOYED, monthly_wage=Decimal(wage))
    assert dues.monthly_dues(profile, DuesSettings()) == Decimal(expected)


def test_fixed_amounts_for_students_the_unemployed_and_retirees(org_a):
    with schema_context("alpha"):
        row = dues.settings_row()
        row.student = Decimal("0.50")
        row.save()
        student = DuesProfile(category=DuesCategory.STUDENT, monthly_wage=Decimal("8000"))
        assert dues.monthly_dues(student, row) == Decimal("0.50")
        retiree = DuesProfile(category=DuesCategory.RETIRED, monthly_wage=None)
        assert dues.monthly_dues(retiree, row) == Decimal("0.50")
        retiree_with_pension = DuesProfile(category=DuesCategory.RETIRED,
                                           monthly_wage=Decimal("4000"))
        assert dues.monthly_dues(retiree_with_pension, row) == Decimal("40.00")


def test_on_time_payment_scores_and_late_does_not(org_a):
    member, other = org_a.members[2], org_a.members[3]
    month = datetime.date(2026, 10, 1)
    with schema_context("alpha"):
        dues.dues_profile_save(member=member, category=DuesCategory.EMPLOYED,
                               monthly_wage=Decimal("6000"))
        on_time = timezone.make_aware(datetime.datetime(2026, 10, 20, 9))
        late = timezone.make_aware(datetime.datetime(2026, 10, 28, 9))
        payment = dues.dues_payment_record(member=member, month=month, by=org_a.admin,
                                           paid_at=on_time)
        assert (payment.amount, payment.on_time, balance_of(member)) == (
            Decimal("90.00"), True, 10)
        assert dues.dues_payment_record(member=other, month=month, by=org_a.admin,
                                        paid_at=late).on_time is False
        assert balance_of(other) == 0
        with pytest.raises(dues.DuesRefused):
            dues.dues_payment_record(member=member, month=month, by=org_a.admin)


def test_who_is_behind(org_a):
    today = datetime.date(2026, 11, 28)  # past the 25th: November is due too
    with schema_context("alpha"):
        months = dues.months_due(today)
        assert months == [datetime.date(2026, m, 1) for m in (8, 9, 10, 11)]
        for month in months:
            DuesPayment.objects.create(member=org_a.members[0], month=month, amount=1,
                                       paid_at=timezone.now(), on_time=True,
                                       recorded_by=org_a.admin)
        behind = dict((m.pk, missing) for m, missing in dues.members_behind(today))
    assert org_a.members[0].pk not in behind
    assert behind[org_a.members[1].pk] == months
