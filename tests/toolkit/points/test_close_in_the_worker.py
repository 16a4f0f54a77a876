"""The beat's monthly close fans out to every company that was there last month, each close in
its own schema; a company made on the 1st is not closed for the month before it."""

import pytest
from django_tenants.utils import schema_context

from tests.toolkit.conftest import build_org
from tests.worker import wait_for
from toolkit.periods import previous_month
from toolkit.points.models import MonthlyClose, RankingSnapshot
from toolkit.points.tasks import monthly_close_all_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_beats_monthly_close_reaches_each_company_in_its_schema(celery_worker, make_company,
                                                                  committed_schemas):
    import datetime

    from django.utils import timezone

    from tenants.models import Company

    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    make_company(name="丙公司", slug="gamma")  # made this month (after the 1st's midnight)
    build_org("alpha", members=5)
    build_org("beta", members=3)
    build_org("gamma", members=2)
    Company.objects.filter(slug__in=["alpha", "beta"]).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    assert monthly_close_all_task.apply().get() == 2

    def closed(schema):
        with schema_context(schema):
            return MonthlyClose.objects.filter(month=previous_month()).first()

    assert wait_for(lambda: closed("alpha"), timeout=60).members == 5
    assert wait_for(lambda: closed("beta"), timeout=60).members == 3
    with schema_context("beta"):
        assert RankingSnapshot.objects.filter(scope="company").count() == 3
    with schema_context("gamma"):
        assert not MonthlyClose.objects.exists()
