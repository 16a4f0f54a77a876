"""The beat's 堡垒指数 月度终评 in a real worker: each company's branches settled in its own
schema (the schema travels in the message's headers)."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Company
from tests.toolkit.conftest import build_org
from tests.worker import wait_for
from toolkit.indices.models import BranchMonth
from toolkit.indices.tasks import fortress_settle_month_all_task
from toolkit.periods import previous_month

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_beats_settlement_reaches_each_company_in_its_schema(celery_worker, make_company,
                                                                  committed_schemas):
    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    alpha = build_org("alpha", branches=3)
    beta = build_org("beta", branches=2)
    Company.objects.filter(slug__in=["alpha", "beta"]).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    if timezone.localtime().day == 1 and timezone.localtime().hour < 2:
        pytest.skip("before the beat's hour on the 1st, nothing is sent")
    assert sorted(fortress_settle_month_all_task.apply().get()) == ["alpha", "beta"]

    def settled(schema):
        with schema_context(schema):
            return set(BranchMonth.objects.filter(month=previous_month())
                       .values_list("branch_id", flat=True)) or None

    assert wait_for(lambda: settled("alpha"), timeout=60) == {b.pk for b in alpha.branches}
    assert wait_for(lambda: settled("beta"), timeout=60) == {b.pk for b in beta.branches}
