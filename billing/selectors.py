"""Billing's reads for the admin's page and staff's view."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from billing.entitlements import (
    account_of,
    billing_status,
    grace_ends,
    paid_features_paused,
    sponsorship_now,
    trial_dates,
)
from billing.models import (
    BillingAccount,
    BillingStatus,
    Fapiao,
    Interval,
    Invoice,
    Plan,
    PriceRoll,
    PriceRollState,
    SponsoredPeriod,
    WebhookEvent,
)
from tenants.models import Company


@dataclass
class Standing:
    """What the admin sees at the top of the billing page (and in the banner)."""

    account: BillingAccount
    status: str
    status_label: str
    paused: bool
    grace_ends: object
    sponsored_until: object
    storage_percent: int


def standing(*, company: Company, now=None) -> Standing:
    account = account_of(company)
    status = billing_status(account, now=now)
    period = sponsorship_now(company.pk, now=now, trial=not account.stripe_subscription_id)
    quota = max(account.storage_quota_bytes, 1)
    return Standing(account=account, status=status, status_label=BillingStatus(status).label,
                    paused=paid_features_paused(account, now=now),
                    grace_ends=grace_ends(account) if status == BillingStatus.PAST_DUE else None,
                    sponsored_until=period.ends_on if period else (
                        trial_dates(company)[1] if account.pk is None else None),
                    storage_percent=min(100, account.storage_used_bytes * 100 // quota))


def plans_for_sale():
    return Plan.objects.filter(is_public=True)


def plans_for_staff():
    """Every plan, with how many companies hold its terms now (their copies, 0027), and its
    latest price roll if any (`plan.price_roll`, one query)."""
    return (Plan.objects.annotate(accounts_count=Count("accounts")).select_related("price_roll")
            .order_by("sort", "pk"))


@dataclass
class RollProgress:
    """A plan's latest price roll as staff see it (billing.tasks.plan_prices_roll_task)."""

    state: str
    state_label: str
    checked: int
    total: int
    moved: int
    attempts: int
    error: str
    started_at: object
    finished_at: object
    stopped: bool  # failed, or no progress for a while: staff may retry it

    @property
    def going(self) -> bool:
        return self.state in (PriceRollState.QUEUED, PriceRollState.RUNNING) and not self.stopped


def price_roll_of(*, plan: Plan, now=None) -> RollProgress | None:
    """The progress of moving the plan's live subscriptions to its current price, read from
    the public schema (the worker commits it after each subscription); None: never started."""
    roll = PriceRoll.objects.filter(plan_id=plan.pk).first()
    if roll is None:
        return None
    return RollProgress(state=roll.state, state_label=str(PriceRollState(roll.state).label),
                        checked=roll.checked, total=roll.total, moved=roll.moved,
                        attempts=roll.attempts, error=roll.error, started_at=roll.started_at,
                        finished_at=roll.finished_at,
                        stopped=roll.stopped(now=now))


def invoices_of(*, company: Company):
    return Invoice.objects.filter(account__company_id=company.pk)


def invoices_with_fapiao_of(*, company: Company):
    """The company's invoices, each with its 发票 request if any (one query)."""
    return invoices_of(company=company).select_related("fapiao")


def fapiaos_of(*, company: Company):
    """The company's 发票 requests, newest first, with their invoice."""
    return (Fapiao.objects.filter(invoice__account__company_id=company.pk)
            .select_related("invoice"))


def monthly_fen(*, account: BillingAccount) -> int:
    """What the account pays a month (a yearly price over twelve): the amount its subscription
    was bought or last renewed at (BillingAccount.price_fen), not the plan's list price, which
    staff may have changed since (a new price is paid from each subscription's renewal)."""
    price = account.price_fen
    return price // 12 if account.interval == Interval.YEAR else price


def free_periods_ending(*, today: date, days: int) -> list[SponsoredPeriod]:
    """Each company whose free time (trials and sponsored periods, as they overlap or follow
    each other) runs out within `days`: the period that ends it, once per company. A trial
    ending inside a longer sponsorship ends nothing: the company does not start paying then."""
    periods = (SponsoredPeriod.objects.filter(ends_on__gte=today).select_related("company")
               .order_by("company_id", "starts_on", "ends_on"))
    last: dict[int, SponsoredPeriod] = {}
    for period in periods:
        held = last.get(period.company_id)
        # A period that starts by the day after the free time so far ends continues it.
        if held is None or period.starts_on <= held.ends_on + timedelta(days=1):
            if held is None or period.ends_on >= held.ends_on:
                last[period.company_id] = period
    horizon = today + timedelta(days=days)
    return sorted((p for p in last.values() if p.ends_on <= horizon),
                  key=lambda p: (p.ends_on, p.company.name))


def staff_overview(*, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    accounts = list(BillingAccount.objects.select_related("plan", "company"))
    # Each account at what it pays (monthly_fen), never at its plan's price now.
    by_status = {status: 0 for status in BillingStatus.values}
    mrr = 0
    for account in accounts:
        status = billing_status(account, now=now)
        by_status[status] += 1
        if status in (BillingStatus.ACTIVE, BillingStatus.PAST_DUE):
            mrr += monthly_fen(account=account)
    ending = free_periods_ending(today=today, days=30)
    statuses = [(str(BillingStatus(s).label), n) for s, n in by_status.items()]
    return {
        "mrr_fen": mrr,
        "charts": {"by_status": statuses,
                   "ending": [(p.company.name, (p.ends_on - today).days) for p in ending]},
        "by_status": statuses,
        "failed": Invoice.objects.filter(payment_failed=True, status="open")
                         .select_related("account__company")[:50],
        "ending": ending,
        "dead": WebhookEvent.objects.filter(dead_at__isnull=False)[:50],
        "fapiao_waiting": Fapiao.objects.filter(issued_at__isnull=True)
                                        .select_related("invoice__account__company"),
        "accounts": sorted(accounts, key=lambda a: a.company.name),
        "events": WebhookEvent.objects.aggregate(
            received=Count("id"), processed=Count("id", filter=Q(processed_at__isnull=False))),
    }


def banner_for(*, company: Company) -> Standing | None:
    """What the admin must know on every page: money owed, or paid features paused."""
    current = standing(company=company)
    owing = current.status == BillingStatus.PAST_DUE or current.paused
    return current if owing else None
