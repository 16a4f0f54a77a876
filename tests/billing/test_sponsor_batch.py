"""Sponsor this batch (孵化期免费): every company in the batch gets the sponsored period, over
billing's one service; granting again changes nothing; other batches are untouched."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing.entitlements import account_for, billing_status
from billing.models import SponsoredPeriod, SponsorKind
from onboarding import services as onboarding_services
from tests.toolkit.conftest import login

STAFF = "localhost"


def _sponsored(company):
    return list(SponsoredPeriod.objects.filter(company=company, kind=SponsorKind.SPONSORED)
                .values_list("starts_on", "ends_on"))


def test_staff_sponsor_a_batch_once_and_only_that_batch(client, make_company):
    alpha = make_company(name="甲公司", slug="alpha")
    beta = make_company(name="乙公司", slug="beta")
    gamma = make_company(name="丙公司", slug="gamma")
    today = timezone.localdate()
    first = onboarding_services.batch_create(name="第一期", starts_on=today,
                                             ends_on=date(today.year + 1, 1, 31))
    second = onboarding_services.batch_create(name="第二期", starts_on=today,
                                              ends_on=date(today.year + 1, 6, 30))
    onboarding_services.batch_enrol(batch=first, company=alpha)
    onboarding_services.batch_enrol(batch=first, company=beta)
    onboarding_services.batch_enrol(batch=second, company=gamma)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")
    page = client.get(f"/batches/{first.pk}/", HTTP_HOST=STAFF).content.decode()
    assert 'id="sponsor-batch"' in page and f'value="{first.ends_on:%Y-%m-%d}"' in page
    ends = date(today.year + 1, 1, 31)
    form = {"starts_on": f"{today:%Y-%m-%d}", "ends_on": f"{ends:%Y-%m-%d}", "note": ""}
    response = client.post(f"/batches/{first.pk}/sponsor/", form, HTTP_HOST=STAFF, follow=True)
    assert "已为本批次 2 家公司赞助免费期（新增 2 条）" in response.content.decode()
    for company in (alpha, beta):
        assert _sponsored(company) == [(today, ends)]
        period = SponsoredPeriod.objects.get(company=company, kind=SponsorKind.SPONSORED)
        assert period.note == "孵化批次：第一期"
    assert _sponsored(gamma) == []
    # again (a double click, a retried request): no second period
    response = client.post(f"/batches/{first.pk}/sponsor/", form, HTTP_HOST=STAFF, follow=True)
    assert "新增 0 条" in response.content.decode()
    assert all(len(_sponsored(c)) == 1 for c in (alpha, beta))
    # the status is sponsored once the trial is over (a trial shows first while it runs)
    account_for(gamma)
    SponsoredPeriod.objects.filter(kind=SponsorKind.TRIAL).delete()
    assert billing_status(account_for(alpha)) == "sponsored"
    assert billing_status(account_for(gamma)) == "canceled"
    # reversed dates: refused, nothing made
    bad = {"starts_on": f"{ends:%Y-%m-%d}", "ends_on": f"{today:%Y-%m-%d}"}
    response = client.post(f"/batches/{second.pk}/sponsor/", bad, HTTP_HOST=STAFF, follow=True)
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert _sponsored(gamma) == []


def test_only_staff_sponsor_a_batch(client, make_company):
    from tests.billing.conftest import login_admin

    alpha = make_company(name="甲公司", slug="alpha")
    today = timezone.localdate()
    batch = onboarding_services.batch_create(name="第一期", starts_on=today, ends_on=today)
    onboarding_services.batch_enrol(batch=batch, company=alpha)
    from django_tenants.utils import schema_context

    with schema_context("alpha"):
        user_create(username="admin", password="pw-123456", full_name="管理员",
                    role=Role.COMPANY_ADMIN)
    login_admin(client, "alpha.localhost")
    form = {"starts_on": f"{today:%Y-%m-%d}", "ends_on": f"{today:%Y-%m-%d}"}
    for host in ("alpha.localhost", STAFF):
        response = client.post(f"/batches/{batch.pk}/sponsor/", form, HTTP_HOST=host)
        assert response.status_code in (302, 403, 404)
    assert _sponsored(alpha) == []


@pytest.mark.django_db(transaction=True)
def test_a_batch_sponsored_twice_at_once_gets_one_period_each(make_company, committed_schemas):
    import threading

    from django.db import connections

    alpha = make_company(name="甲公司", slug="alpha")
    beta = make_company(name="乙公司", slug="beta")
    today = timezone.localdate()
    batch = onboarding_services.batch_create(name="第一期", starts_on=today, ends_on=today)
    for company in (alpha, beta):
        onboarding_services.batch_enrol(batch=batch, company=company)
        account_for(company)
    barrier = threading.Barrier(3)
    made: list[int] = []

    def sponsor():
        try:
            barrier.wait()
            made.append(onboarding_services.batch_sponsor(batch=batch, starts_on=today,
                                                          ends_on=today)[1])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sponsor) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(made) == [0, 0, 2]
    assert all(len(_sponsored(c)) == 1 for c in (alpha, beta))


def test_staff_sponsor_one_company_from_its_billing_page(client, make_company):
    alpha = make_company(name="甲公司", slug="alpha")
    beta = make_company(name="乙公司", slug="beta")
    account = account_for(alpha)
    account_for(beta)
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")
    page = client.get(f"/billing/companies/{account.pk}/", HTTP_HOST=STAFF).content.decode()
    assert 'id="sponsor-company"' in page
    form = {"starts_on": "2026-12-01", "ends_on": "2027-05-31", "note": "特批"}
    url = f"/billing/companies/{account.pk}/sponsor/"
    assert "已赞助免费期" in client.post(url, form, HTTP_HOST=STAFF, follow=True).content.decode()
    assert "已经赞助过" in client.post(url, form, HTTP_HOST=STAFF, follow=True).content.decode()
    assert _sponsored(alpha) == [(date(2026, 12, 1), date(2027, 5, 31))]
    assert _sponsored(beta) == []
