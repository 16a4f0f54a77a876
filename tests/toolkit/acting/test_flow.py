"""Applications, the office's decision, the duty log's points (category contribution)."""

import datetime

import pytest
from django_tenants.utils import schema_context

from core.errors import Forbidden
from toolkit.acting import selectors, services
from toolkit.acting.models import ApplicationStatus
from toolkit.org.models import ActingSecretary, Position
from toolkit.points.models import LedgerEntry, MonthlyCategoryTotal

from .test_rights import NOVEMBER, at

DECEMBER = datetime.date(2026, 12, 1)


def test_members_apply_and_the_committee_secretary_approves_one(org_a):
    m = org_a.members
    with schema_context("alpha"):
        top = m[5]
        top.unit, top.position = org_a.committee, Position.SECRETARY
        top.save()
        first = services.acting_apply(member=m[2], unit=org_a.branches[0], month=DECEMBER,
                                      note="想锻炼一下", at=NOVEMBER)
        second = services.acting_apply(member=m[4], unit=org_a.branches[0], month=DECEMBER,
                                       at=NOVEMBER)
        with pytest.raises(services.ActingRefused):
            services.acting_apply(member=m[2], unit=org_a.branches[0], month=DECEMBER,
                                  at=NOVEMBER)
        with pytest.raises(Forbidden):
            services.acting_decide(application=first, by=m[0].user, approve=True, at=NOVEMBER)
        services.acting_decide(application=first, by=top.user, approve=True, at=NOVEMBER)
        second.refresh_from_db()
        assert second.status == ApplicationStatus.REJECTED
        assert ActingSecretary.objects.get(unit=org_a.branches[0], month=DECEMBER).member == m[2]
        units, rows = selectors.schedule(first=DECEMBER, months=2)
        column = [u.pk for u in units].index(org_a.branches[0].pk)
        assert rows[0].cells[column].member == m[2] and rows[1].cells[column] is None


def test_the_duty_log_scores_as_contribution_during_the_month_only(org_a):
    m = org_a.members
    with schema_context("alpha"):
        services.acting_appoint(unit=org_a.branches[0], member=m[2], month=DECEMBER,
                                by=org_a.admin, at=NOVEMBER)
        with pytest.raises(services.ActingRefused) as refused:
            services.duty_log_add(member=m[2], kind="note", text="提前", at=NOVEMBER)
        assert refused.value.code == "acting_not_on_duty"
        day = at(2026, 12, 3, 9)
        entry = services.duty_log_add(member=m[2], kind="meeting", text="主持支委会", at=day)
        services.duty_log_add(member=m[2], kind="task", text="发布擂台任务", at=day)
        services.duty_log_add(member=m[2], kind="note", text="走访", at=day)  # the daily cap: 10
        assert entry.points == 5
        ledger = LedgerEntry.objects.filter(member=m[2], rule_code="acting_duty")
        assert sorted(ledger.values_list("amount", flat=True)) == [5, 5]
        assert set(ledger.values_list("category", flat=True)) == {"contribution"}
        assert MonthlyCategoryTotal.objects.get(member=m[2], month=DECEMBER,
                                                category="contribution").points == 10
        with pytest.raises(services.ActingRefused):
            services.duty_log_add(member=m[2], kind="note", text="过期", at=at(2027, 1, 1))
