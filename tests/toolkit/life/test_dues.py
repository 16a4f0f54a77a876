import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from toolkit.life import selectors as life_selectors
from toolkit.life import services as life_services
from toolkit.life.models import DuesCategory, DuesPayment, DuesProfile, DuesSettings
from toolkit.points.selectors import balance_of


@pytest.mark.parametrize("wage, expected", [
    ("0", "0.00"), ("2999.99", "15.00"), ("3000", "15.00"), ("3000.01", "30.00"),
    ("4567.89", "45.68"), ("5000", "50.00"), ("5000.01", "75.00"), ("8333.33", "125.00"),
    ("10000", "150.00"), ("10000.01", "200.00"), ("23456.78", "469.14"),
])
def test_monthly_dues_follow_the_brackets_to_the_fen(wage, expected):
    profile = DuesProfile(category=DuesCategory.EMPLOYED, monthly_wage=Decimal(wage))
    assert life_selectors.monthly_dues(profile=profile,
                                       dues_settings=DuesSettings()) == Decimal(expected)


def test_fixed_amounts_for_students_the_unemployed_and_retirees(org_a):
    with schema_context("alpha"):
        row = life_selectors.settings_row()
        row.student = Decimal("0.50")
        row.save()
        student = DuesProfile(category=DuesCategory.STUDENT, monthly_wage=Decimal("8000"))
        assert life_selectors.monthly_dues(profile=student, dues_settings=row) == Decimal("0.50")
        row.retired = Decimal("1.00")
        row.save()
        for wage in (None, Decimal("4000")):  # a fixed amount, whatever the pension
            retiree = DuesProfile(category=DuesCategory.RETIRED, monthly_wage=wage)
            amount = life_selectors.monthly_dues(profile=retiree, dues_settings=row)
            assert amount == Decimal("1.00")
        unemployed = DuesProfile(category=DuesCategory.UNEMPLOYED)
        assert life_selectors.monthly_dues(profile=unemployed, dues_settings=row) == Decimal("0.20")


def test_on_time_payment_scores_and_late_does_not(org_a):
    member, other = org_a.members[2], org_a.members[3]
    month = datetime.date(2026, 10, 1)
    with schema_context("alpha"):
        life_services.dues_profile_save(member=member, category=DuesCategory.EMPLOYED,
                               monthly_wage=Decimal("6000"))
        on_time = timezone.make_aware(datetime.datetime(2026, 10, 20, 9))
        late = timezone.make_aware(datetime.datetime(2026, 10, 28, 9))
        payment = life_services.dues_payment_record(member=member, month=month, by=org_a.admin,
                                           paid_at=on_time)
        assert (payment.amount, payment.on_time, balance_of(member=member)) == (
            Decimal("90.00"), True, 10)
        assert life_services.dues_payment_record(member=other, month=month, by=org_a.admin,
                                        paid_at=late).on_time is False
        assert balance_of(member=other) == 0
        with pytest.raises(life_services.DuesRefused):
            life_services.dues_payment_record(member=member, month=month, by=org_a.admin)


def test_who_is_behind(org_a):
    today = datetime.date(2026, 11, 28)  # past the 25th: November is due too
    with schema_context("alpha"):
        months = life_selectors.months_due(today=today)
        assert months == [datetime.date(2026, m, 1) for m in (8, 9, 10, 11)]
        for month in months:
            DuesPayment.objects.create(member=org_a.members[0], month=month, amount=1,
                                       paid_at=timezone.now(), on_time=True,
                                       recorded_by=org_a.admin)
        behind = dict((m.pk, missing) for m, missing in life_selectors.members_behind(today=today))
    assert org_a.members[0].pk not in behind
    assert behind[org_a.members[1].pk] == months
    with schema_context("alpha"):
        assert life_selectors.months_behind(member=org_a.members[0], today=today) == []
        assert life_selectors.months_behind(member=org_a.members[1], today=today) == months


def test_the_admin_configures_fixed_amounts_and_frequencies_on_a_page(client, org_a):
    from tests.toolkit.conftest import login
    from toolkit.life.models import ComplianceRule

    login(client, "alpha.localhost", "admin")
    with schema_context("alpha"):
        rules = list(ComplianceRule.objects.order_by("id"))
    data = {"rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": len(rules),
            "dues-student": "0.30", "dues-unemployed": "0.20", "dues-retired": "2.00",
            "dues-due_day": "20"}
    for index, rule in enumerate(rules):
        data.update({f"rules-{index}-id": rule.pk, f"rules-{index}-warn_days": 7,
                     f"rules-{index}-every_months": 6 if rule.kind == "lesson" else
                     rule.every_months})
    response = client.post("/life/settings/", data, HTTP_HOST="alpha.localhost")
    assert response.status_code == 302
    with schema_context("alpha"):
        assert ComplianceRule.objects.get(kind="lesson").every_months == 6
        row = life_selectors.settings_row()
        assert (row.retired, row.due_day) == (Decimal("2.00"), 20)
    login(client, "alpha.localhost", org_a.members[2].user.username)
    assert client.get("/life/settings/", HTTP_HOST="alpha.localhost").status_code == 403


def test_another_companys_dues_page_shows_only_its_own_people(client, org_a, org_b):
    from tests.toolkit.conftest import login

    login(client, "alpha.localhost", org_a.members[0].user.username)  # a secretary
    page = client.get("/life/dues/manage/", HTTP_HOST="alpha.localhost").content.decode()
    beta_only = {m.user.full_name for m in org_b.members} - {
        m.user.full_name for m in org_a.members}
    assert org_a.members[2].user.full_name in page
    assert not any(name in page for name in beta_only)
