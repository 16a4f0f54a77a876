"""Staff edit plans on the incubator's site: a new plan, an edit. A change reaches new
subscriptions at once; a subscribed company keeps the terms it bought (its account's copy)
until its renewal. Nobody else may open the pages."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from accounts.models import Role
from accounts.services import user_create
from billing import local, services
from billing.entitlements import account_for, feature_allowed
from billing.models import BillingAccount, Plan
from billing.sync import account_sync
from tests.billing.conftest import login_admin
from tests.billing.helpers import plan_of
from tests.toolkit.conftest import login

STAFF = "localhost"
GB = 1024 ** 3


def _staff(client):
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    login(client, STAFF, "staff1")


def _form(**changes) -> dict:
    data = {"code": "standard", "name": "标准版", "price_month": "999.00",
            "price_year": "9990.00", "member_limit": "1000", "storage_quota_gb": "20",
            "features": ["training_seats", "handbook_pdf", "api"], "is_public": "on",
            "sort": "1"}
    return data | changes


def test_staff_create_a_plan_and_admins_can_buy_it(client, company_a):
    plan_of("standard")
    _staff(client)
    page = client.get("/billing/plans/", HTTP_HOST=STAFF).content.decode()
    assert 'data-plan="standard"' in page and "标准版" in page
    response = client.post("/billing/plans/new/", _form(
        code="party-plus", name="党建增强版", price_month="1999.50", price_year="19995",
        member_limit="5000", storage_quota_gb="50.5", features=["api", "big_screen"]),
        HTTP_HOST=STAFF)
    assert response.status_code == 302
    plan = Plan.objects.get(code="party-plus")
    assert (plan.name, plan.price_month_fen, plan.price_year_fen) == ("党建增强版", 199950, 1999500)
    assert plan.member_limit == 5000 and plan.storage_quota_bytes == int(50.5 * GB)
    assert plan.features == ["api", "big_screen"] and plan.is_public
    # the same code again: refused on the form, nothing made
    again = client.post("/billing/plans/new/", _form(code="party-plus"), HTTP_HOST=STAFF)
    assert again.status_code == 200 and "这个代码已被其他套餐使用" in again.content.decode()
    assert Plan.objects.filter(code="party-plus").count() == 1
    bad = client.post("/billing/plans/new/", _form(code="x", features=["teleport"]),
                      HTTP_HOST=STAFF)
    assert bad.status_code == 200 and not Plan.objects.filter(code="x").exists()
    # a new subscription takes it as it is
    price = services.price_ensure(plan=plan, interval="month")
    assert price.amount_fen == 199950
    local.checkout_complete(company=company_a, price=price, pay=True)
    account = account_for(company_a)
    assert account.plan == plan and account.member_limit == 5000
    assert feature_allowed(company_a, "big_screen") and not feature_allowed(company_a,
                                                                              "handbook_pdf")


def test_an_edit_reaches_new_subscriptions_now_and_existing_ones_at_renewal(
        client, company_a, company_b):
    standard = plan_of("standard")
    old_price = services.price_ensure(plan=standard, interval="month")
    local.checkout_complete(company=company_a, price=old_price, pay=True)
    _staff(client)
    edit = client.get(f"/billing/plans/{standard.pk}/", HTTP_HOST=STAFF).content.decode()
    assert 'value="999.00"' in edit and "disabled" in edit  # the code cannot change
    response = client.post(f"/billing/plans/{standard.pk}/", _form(
        code="other", price_month="1299", member_limit="1500",
        features=["training_seats", "handbook_pdf", "api", "big_screen"]), HTTP_HOST=STAFF)
    assert response.status_code == 302
    standard.refresh_from_db()
    assert standard.code == "standard" and standard.price_month_fen == 129900
    assert standard.member_limit == 1500
    # A keeps what it bought for the period it paid, even when Stripe's state is read again
    account = BillingAccount.objects.get(company=company_a)
    account_sync(account=account)
    account = BillingAccount.objects.get(company=company_a)
    assert account.member_limit == 1000 and "big_screen" not in account.features
    assert not feature_allowed(company_a, "big_screen")
    # B subscribes now: the new price (a new Stripe price) and the new terms
    new_price = services.price_ensure(plan=standard, interval="month")
    assert new_price.pk != old_price.pk and new_price.amount_fen == 129900
    local.checkout_complete(company=company_b, price=new_price, pay=True)
    b = account_for(company_b)
    assert b.member_limit == 1500 and feature_allowed(company_b, "big_screen")
    # A's renewal (a new period on Stripe) takes the plan as it is then
    BillingAccount.objects.filter(pk=account.pk).update(
        terms_period_start=timezone.now() - timedelta(days=31))
    account = BillingAccount.objects.get(pk=account.pk)
    account_sync(account=account)
    account = BillingAccount.objects.get(pk=account.pk)
    assert account.member_limit == 1500 and feature_allowed(company_a, "big_screen")


def test_only_staff_open_the_plan_pages(client, company_a, admin_a):
    standard = plan_of("standard")
    login_admin(client, "alpha.localhost")
    for host in ("alpha.localhost", STAFF):
        for url in ("/billing/plans/", f"/billing/plans/{standard.pk}/"):
            response = client.get(url, HTTP_HOST=host)
            connection.set_schema_to_public()
            assert response.status_code in (302, 403, 404)
            assert "price_month" not in response.content.decode()
    response = client.post(f"/billing/plans/{standard.pk}/", _form(member_limit="1"),
                           HTTP_HOST=STAFF)
    connection.set_schema_to_public()
    assert response.status_code in (302, 403)
    standard.refresh_from_db()
    assert standard.member_limit == 1000


def test_a_new_price_reaches_existing_subscriptions_from_their_next_period(
        client, company_a, company_b, tasks_run_here, django_capture_on_commit_callbacks):
    """Stripe keeps a subscription on the price it was sold: staff's new price moves each live
    subscription to it with nothing prorated (in the worker, here run in this process after
    the save commits), so the period paid stays paid at the old price and the next one is
    billed at the new."""
    standard = plan_of("standard")
    professional = plan_of("professional")
    local.checkout_complete(company=company_a, price=services.price_ensure(
        plan=standard, interval="month"), pay=True)
    local.checkout_complete(company=company_b, price=services.price_ensure(
        plan=professional, interval="month"), pay=True)
    _staff(client)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(f"/billing/plans/{standard.pk}/", _form(price_month="1299"),
                               HTTP_HOST=STAFF)
    assert response.status_code == 302 and response.url == f"/billing/plans/{standard.pk}/"
    assert len(queued) == 1  # the roll, queued once the plan's save committed
    page = client.get(response.url, HTTP_HOST=STAFF).content.decode()
    assert "正在后台将 1 个现有订阅调整为新价格" in page
    assert "已调整 1/1 个订阅" in page and "其中 1 个改为新价格" in page
    a = BillingAccount.objects.get(company=company_a)
    from billing.gateway import gateway

    state = gateway().subscription_state(a.stripe_subscription_id)
    new_price = standard.stripe_prices.get(interval="month", amount_fen=129900)
    assert state.price_id == new_price.stripe_id
    # nothing prorated now: the paid period stays paid, and the next bill is the new price
    assert [i.amount_paid_fen for i in a.invoices.all()] == [99900]
    assert local.renewal_bill(company=company_a)
    newest = BillingAccount.objects.get(pk=a.pk).invoices.order_by("-created", "-pk").first()
    assert newest.amount_paid_fen == 129900
    # B, on another plan, untouched; saving again without a new price starts nothing, and a
    # roll run again moves nothing more
    b = BillingAccount.objects.get(company=company_b)
    assert gateway().subscription_state(b.stripe_subscription_id).price_id == \
        professional.stripe_prices.get(interval="month").stripe_id
    standard.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert services.plan_edit(plan=standard, code="standard", name="标准版",
                                  price_month_fen=129900, price_year_fen=999000,
                                  member_limit=1000, storage_quota_bytes=20 * GB,
                                  features=standard.features, is_public=True)[1] is None
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        roll = services.plan_prices_roll_start(plan=standard)
    roll.refresh_from_db()
    assert (roll.state, roll.checked, roll.total, roll.moved) == ("done", 1, 1, 0)
