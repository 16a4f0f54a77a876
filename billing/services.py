"""Billing's writes: the Stripe customer and prices, subscribing, the portal's actions, staff's
plans, sponsorships, grace periods and bank transfers. Each is one transaction; Stripe is
called before the local write it justifies, and its state is read back (billing.sync)."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import account_for, features_forget
from billing.gateway import gateway
from billing.models import (
    BillingAccount,
    Feature,
    Interval,
    Invoice,
    Plan,
    PriceRoll,
    PriceRollState,
    SponsoredPeriod,
    SponsorKind,
    StripePrice,
)
from billing.sync import account_sync
from core.errors import Refused
from core.tasks import task_send
from tenants.models import Company


class BillingRefused(Refused):
    code = "billing_refused"


def _locked(company: Company) -> BillingAccount:
    """The company's account row locked, then read with its plan and company. Locked alone:
    PostgreSQL re-checks a locked row that another transaction changed against the rows it
    had joined, so a `FOR UPDATE` joined to the plan found no account when the worker had just
    moved it to another plan (the first subscription's webhook), and the page failed."""
    account = account_for(company)
    BillingAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk").get()
    return BillingAccount.objects.select_related("plan", "company").get(pk=account.pk)


@transaction.atomic
def customer_ensure(*, company: Company) -> BillingAccount:
    """The company's Stripe customer, made once (the account row is locked meanwhile)."""
    account = _locked(company)
    if not account.stripe_customer_id:
        # The 发票 details entered before checkout go with it (details_update keeps them after).
        account.stripe_customer_id = gateway().customer_create(
            name=account.invoice_title or company.name, email=account.email,
            company_id=company.pk, address=account.invoice_address, tax_id=account.tax_id)
        account.save(update_fields=["stripe_customer_id"])
    return account


@transaction.atomic
def details_update(*, company: Company, invoice_title: str, tax_id: str, invoice_address: str,
                   invoice_bank: str, email: str) -> BillingAccount:
    """The admin's 发票 details: kept here for 发票 requests, and on the Stripe customer."""
    account = _locked(company)
    account.invoice_title, account.tax_id = invoice_title.strip(), tax_id.strip().upper()
    account.invoice_address, account.invoice_bank = invoice_address.strip(), invoice_bank.strip()
    account.email = email.strip()
    account.save()
    if account.stripe_customer_id:
        gateway().customer_update(account.stripe_customer_id,
                                  name=account.invoice_title or company.name, email=account.email,
                                  address=account.invoice_address, tax_id=account.tax_id)
    return account


@transaction.atomic
def price_ensure(*, plan: Plan, interval: str) -> StripePrice:
    """The Stripe price selling `plan` at its current amount (a new one after a price change)."""
    api = gateway()
    amount = plan.price_fen(interval)
    if amount <= 0 or not plan.is_public:
        raise BillingRefused(_("该套餐不能订阅。"), code="plan_not_for_sale")
    Plan.objects.select_for_update().get(pk=plan.pk)  # one price made per plan at a time
    price = StripePrice.objects.filter(plan=plan, interval=interval, amount_fen=amount,
                                       api_base=api.api_base).first()
    if price is None:
        stripe_id = api.price_create(name=f"{plan.name}（{Interval(interval).label}）",
                                     amount_fen=amount, interval=interval)
        price = StripePrice.objects.create(plan=plan, interval=interval, amount_fen=amount,
                                           api_base=api.api_base, stripe_id=stripe_id)
    return price


def subscribable_check(account: BillingAccount) -> None:
    if account.subscription_status in ("active", "trialing", "past_due", "unpaid"):
        raise BillingRefused(_("已有订阅：请在“管理订阅”中更换套餐或付款方式。"),
                             code="already_subscribed")


def checkout_start(*, company: Company, plan: Plan, interval: str, success_url: str,
                   cancel_url: str) -> str:
    """Where the admin pays: Stripe Checkout, or the local checkout page without a key."""
    account = customer_ensure(company=company)
    subscribable_check(account)
    price = price_ensure(plan=plan, interval=interval)
    api = gateway()
    if api.local:
        return ""  # the caller shows billing.local_views' checkout for this price
    return api.checkout_session_create(customer_id=account.stripe_customer_id,
                                       price_id=price.stripe_id, company_id=company.pk,
                                       success_url=success_url, cancel_url=cancel_url)


def portal_url(*, company: Company, return_url: str) -> str:
    """Stripe's Customer Portal, or "" on localstripe (the local portal page stands in)."""
    account = customer_ensure(company=company)
    api = gateway()
    return "" if api.local else api.portal_session_create(
        customer_id=account.stripe_customer_id, return_url=return_url)


def _subscribed(company: Company) -> BillingAccount:
    account = customer_ensure(company=company)
    if not account.stripe_subscription_id or account.subscription_status in ("", "canceled"):
        raise BillingRefused(_("还没有订阅。"), code="not_subscribed")
    return account


def plan_switch(*, company: Company, plan: Plan, interval: str) -> BillingAccount:
    """The portal's "switch plan": the subscription moves to the plan's current price, prorated
    as Stripe does; the new plan's terms apply at once (billing.sync: its price changed plan)."""
    account = _subscribed(company)
    if interval not in Interval.values:
        raise BillingRefused(_("请选择按月或按年。"), code="interval_invalid")
    if plan.pk == account.plan_id and interval == account.interval:
        raise BillingRefused(_("已经是这个套餐。"), code="plan_unchanged")
    price = price_ensure(plan=plan, interval=interval)
    gateway().subscription_switch(account.stripe_subscription_id, price.stripe_id)
    return account_refresh(company=company)


def cancel_at_period_end_set(*, company: Company, cancel: bool) -> BillingAccount:
    """Cancel at the period end (the company keeps what it paid for until then), or resume."""
    account = _subscribed(company)
    gateway().subscription_cancel_at_period_end(account.stripe_subscription_id, cancel)
    return account_refresh(company=company)


@transaction.atomic
def account_refresh(*, company: Company) -> BillingAccount:
    """Reads Stripe now (the admin back from Checkout or the portal), as a webhook would."""
    account = _locked(company)
    if account.stripe_customer_id:
        account_sync(account=account)
    return account


# Staff ---------------------------------------------------------------------------------

@transaction.atomic
def plan_save(*, plan: Plan | None, code: str, name: str, price_month_fen: int,
              price_year_fen: int, member_limit: int, storage_quota_bytes: int,
              features: list[str], is_public: bool, sort: int | None = None) -> Plan:
    """Staff edit a plan: new subscriptions get it at once, existing ones at their renewal
    (an account keeps the terms it bought: billing.sync copies the plan's when a period
    starts). A new amount is a new Stripe price; the old one keeps selling nothing."""
    unknown = sorted(set(features) - set(Feature.values))
    if unknown:
        raise BillingRefused(_("未知的功能：%(f)s") % {"f": ", ".join(unknown)},
                             code="plan_feature_unknown", fields={"features": [
                                 _("未知的功能：%(f)s") % {"f": ", ".join(unknown)}]})
    if plan is None:
        if Plan.objects.filter(code=code).exists():
            raise BillingRefused(_("这个代码已被其他套餐使用。"), code="plan_code_taken",
                                 fields={"code": [_("这个代码已被其他套餐使用。")]})
        plan = Plan(code=code)
    else:
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.name, plan.price_month_fen, plan.price_year_fen = name, price_month_fen, price_year_fen
    plan.member_limit, plan.storage_quota_bytes = member_limit, storage_quota_bytes
    plan.features, plan.is_public = [f for f in Feature.values if f in features], is_public
    if sort is not None:
        plan.sort = sort
    plan.save()
    return plan


def plan_edit(*, plan: Plan | None, **fields) -> tuple[Plan, PriceRoll | None]:
    """Staff's save (plan_save), then, when an amount of a plan on sale changed (or its last
    roll stopped: failed or stalled), a new roll of its live subscriptions onto the new price
    starts in the worker once the save has committed (plan_prices_roll_start). Returns
    (plan, the roll started or None)."""
    with transaction.atomic():
        before = None if plan is None else Plan.objects.filter(pk=plan.pk).values(
            "price_month_fen", "price_year_fen").first()
        saved = plan_save(plan=plan, **fields)
        if before is None:
            return saved, None
        changed = before != {"price_month_fen": saved.price_month_fen,
                             "price_year_fen": saved.price_year_fen}
        last = PriceRoll.objects.filter(plan=saved).first()
        if not (changed or (last and last.stopped())) or not saved.is_public:
            return saved, None
        return saved, plan_prices_roll_start(plan=saved)


LIVE_SUBSCRIPTION = ("active", "trialing", "past_due", "unpaid")
ROLL_TASK = "billing.tasks.plan_prices_roll_task"


def _roll_accounts(plan_id: int, after: int = 0):
    """The accounts whose live subscription is on the plan, in the order a roll takes them."""
    return BillingAccount.objects.filter(
        plan_id=plan_id, subscription_status__in=LIVE_SUBSCRIPTION, pk__gt=after,
    ).exclude(stripe_subscription_id="").order_by("pk")


@transaction.atomic
def plan_prices_roll_start(*, plan: Plan) -> PriceRoll:
    """Starts moving each live subscription on the plan to its current price (Stripe prices
    cannot change), in the worker after this transaction commits: a new run from the first
    account (a run still going stops at its next account). Idempotent: a subscription already
    on the price is only read."""
    roll, _made = PriceRoll.objects.select_for_update().get_or_create(plan=plan)
    roll.run += 1
    roll.state, roll.after_account, roll.checked, roll.moved = PriceRollState.QUEUED, 0, 0, 0
    roll.total, roll.attempts, roll.error = _roll_accounts(plan.pk).count(), 0, ""
    roll.started_at, roll.finished_at = timezone.now(), None
    roll.save()
    run = roll.run
    transaction.on_commit(lambda: task_send(ROLL_TASK, plan.pk, run))
    return roll


@transaction.atomic
def plan_prices_roll_retry(*, plan: Plan) -> PriceRoll:
    """Staff's retry of a roll that failed (or stalled: its task was lost, or is only slow): it
    goes on after the last account finished, so what was moved is not read again, under a new
    run number, so that a stalled task which wakes up stops at its next account instead of
    running beside the retry (each subscription is locked and read before it moves: the
    account the two might share moves once)."""
    roll = PriceRoll.objects.select_for_update().filter(plan=plan).first()
    if roll is None or not roll.stopped():
        raise BillingRefused(_("价格调整没有中断，无需重试。"), code="price_roll_not_stopped")
    roll.run += 1
    roll.state, roll.attempts, roll.error, roll.finished_at = (
        PriceRollState.QUEUED, 0, "", None)
    roll.save()
    run = roll.run
    transaction.on_commit(lambda: task_send(ROLL_TASK, plan.pk, run))
    return roll


def _roll_claim(plan_id: int, run: int) -> PriceRoll | None:
    """The run's row, marked running; None when a newer run started or it has finished."""
    with transaction.atomic():
        roll = PriceRoll.objects.select_for_update().filter(plan_id=plan_id).first()
        if roll is None or roll.run != run or roll.state == PriceRollState.DONE:
            return None
        roll.state = PriceRollState.RUNNING
        roll.total = roll.checked + _roll_accounts(plan_id, roll.after_account).count()
        roll.save(update_fields=["state", "total", "updated_at"])
        return roll


def _roll_step(roll: PriceRoll, *, account_id: int, moved: bool) -> bool:
    """The account done; False when a newer run has taken over (this one stops)."""
    with transaction.atomic():
        current = PriceRoll.objects.select_for_update().get(pk=roll.pk)
        if current.run != roll.run:
            return False
        current.after_account = account_id
        current.checked += 1
        current.moved += moved
        current.total = max(current.total, current.checked)
        current.save(update_fields=["after_account", "checked", "moved", "total", "updated_at"])
        return True


def _roll_finish(roll: PriceRoll, *, state: str, error: str = "") -> None:
    PriceRoll.objects.filter(pk=roll.pk, run=roll.run).update(
        state=state, error=error[:2000], updated_at=timezone.now(),
        finished_at=timezone.now() if state == PriceRollState.DONE else None,
        **({"total": F("checked")} if state == PriceRollState.DONE else {}))


@transaction.atomic
def _subscription_roll(*, plan: Plan, account_id: int, prices: dict[str, StripePrice]) -> bool:
    """One subscription onto the plan's current price (`prices`: by interval), its account
    locked meanwhile (two runs never move it twice); True when it moved. Read first: one
    already on the price, or no longer live on Stripe, is left as it is."""
    account = (BillingAccount.objects.select_for_update().filter(pk=account_id)
               .filter(plan=plan, subscription_status__in=LIVE_SUBSCRIPTION).first())
    if account is None or not account.stripe_subscription_id:
        return False  # moved off the plan, or canceled, since the run began
    price = prices[account.interval]
    api = gateway()
    state = api.subscription_state(account.stripe_subscription_id)
    if state.price_id == price.stripe_id or state.status not in LIVE_SUBSCRIPTION:
        return False
    api.subscription_price_roll(account.stripe_subscription_id, price.stripe_id)
    return True


def plan_prices_roll(*, plan_id: int, run: int) -> PriceRoll | None:
    """The worker's part (billing.tasks.plan_prices_roll_task): each live subscription on the
    plan after the last one done pays the plan's current price from its next period (nothing
    prorated; its terms and BillingAccount.price_fen follow at that renewal, billing.sync).
    Progress is committed after each subscription. A Stripe error is recorded (with the
    company) and raised for the task to retry; a run another has replaced stops. Returns the
    roll, or None when there was nothing to do."""
    roll = _roll_claim(plan_id, run)
    if roll is None:
        return None
    plan = Plan.objects.get(pk=plan_id)
    after, prices = roll.after_account, {}
    while True:
        account = _roll_accounts(plan_id, after).select_related("company").first()
        if account is None:
            _roll_finish(roll, state=PriceRollState.DONE)
            return roll
        try:
            if account.interval not in prices:  # made and committed once, outside the lock
                prices[account.interval] = price_ensure(plan=plan, interval=account.interval)
            moved = _subscription_roll(plan=plan, account_id=account.pk, prices=prices)
        except BillingRefused as refusal:  # withdrawn from sale: the rest keep their price
            _roll_finish(roll, state=PriceRollState.DONE, error=str(refusal))
            return roll
        except Exception as error:
            PriceRoll.objects.filter(pk=roll.pk, run=run).update(
                error=(f"{account.company.name}（{account.stripe_subscription_id}）："
                       f"{_error_text(error)}")[:2000],
                updated_at=timezone.now())
            raise
        if not _roll_step(roll, account_id=account.pk, moved=moved):
            return None
        after = account.pk


def _error_text(error: Exception) -> str:
    return getattr(error, "user_message", None) or str(error) or type(error).__name__


def plan_prices_roll_retrying(*, plan_id: int, run: int) -> None:
    """The task will try again (a Stripe error it may outlast): counted on the page."""
    PriceRoll.objects.filter(pk=plan_id, run=run).update(attempts=F("attempts") + 1,
                                                         updated_at=timezone.now())


def plan_prices_roll_failed(*, plan_id: int, run: int) -> None:
    """The task gave up: the page shows the error (recorded with its company) and a retry."""
    PriceRoll.objects.filter(pk=plan_id, run=run).exclude(state=PriceRollState.DONE).update(
        state=PriceRollState.FAILED, updated_at=timezone.now())


@transaction.atomic
def sponsorship_grant(*, companies: list[Company], starts_on: date, ends_on: date,
                      kind: str = SponsorKind.SPONSORED, note: str = "") -> list[SponsoredPeriod]:
    """The incubator pays for a period: one company, or every company of a batch at once.
    Idempotent: a company that already has this period (same kind and dates) gets no second
    one, so granting again (a double click, a retried request) changes nothing. Returns the
    periods made."""
    if ends_on < starts_on:
        raise BillingRefused(_("结束日期不能早于开始日期。"), code="sponsorship_dates_invalid")
    ids = sorted({company.pk for company in companies})
    for company in companies:
        account_for(company)
        features_forget(company.pk)  # bulk_create sends no signal
    # The accounts locked in one order: two grants at once apply one after the other.
    list(BillingAccount.objects.select_for_update().filter(company_id__in=ids).order_by("pk")
         .values_list("pk", flat=True))
    have = set(SponsoredPeriod.objects.filter(company_id__in=ids, kind=kind, starts_on=starts_on,
                                              ends_on=ends_on)
               .values_list("company_id", flat=True))
    return SponsoredPeriod.objects.bulk_create([
        SponsoredPeriod(company_id=pk, kind=kind, starts_on=starts_on, ends_on=ends_on,
                        note=note) for pk in ids if pk not in have])


@transaction.atomic
def grace_days_set(*, company: Company, days: int) -> BillingAccount:
    if not 0 <= days <= 90:
        raise BillingRefused(_("宽限期为 0 到 90 天。"), code="grace_days_invalid")
    account = _locked(company)
    account.grace_days = days
    account.save(update_fields=["grace_days"])
    return account


@transaction.atomic
def bank_transfer_record(*, invoice: Invoice, reference: str) -> Invoice:
    """Staff record a 对公转账 against an open invoice: Stripe marks it paid (out of band), which
    extends the subscription like a card payment; the state is read back."""
    invoice = Invoice.objects.select_for_update().select_related("account").get(pk=invoice.pk)
    if invoice.status != "open":
        raise BillingRefused(_("只能为未付账单登记对公转账。"), code="invoice_not_open")
    if not reference.strip():
        raise BillingRefused(_("请填写转账凭证号。"), code="transfer_reference_missing")
    api = gateway()
    if api.local:  # localstripe cannot mark paid out of band: the transfer settles it as paid
        api.local_card_set(invoice.account.stripe_customer_id, number="4242424242424242")
    api.invoice_pay(invoice.stripe_id, out_of_band=True)
    invoice.paid_by_transfer = reference.strip()[:100]
    invoice.save(update_fields=["paid_by_transfer"])
    account = BillingAccount.objects.select_for_update().get(pk=invoice.account_id)
    account_sync(account=account)
    return Invoice.objects.get(pk=invoice.pk)
