"""Billing's reads for the admin's page and staff's view."""

from dataclasses import dataclass
from datetime import timedelta

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
    """Every plan, with how many companies hold its terms now (their copies, 0027)."""
    return Plan.objects.annotate(accounts_count=Count("accounts")).order_by("sort", "pk")


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
    """The account's recurring revenue per month (a yearly price over twelve)."""
    price = account.plan.price_fen(account.interval)
    return price // 12 if account.interval == Interval.YEAR else price


def staff_overview(*, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    accounts = list(BillingAccount.objects.select_related("plan", "company"))
    by_status = {status: 0 for status in BillingStatus.values}
    mrr = 0
    for account in accounts:
        status = billing_status(account, now=now)
        by_status[status] += 1
        if status in (BillingStatus.ACTIVE, BillingStatus.PAST_DUE):
            mrr += monthly_fen(account=account)
    ending = list(SponsoredPeriod.objects.filter(ends_on__gte=today,
                                                 ends_on__lte=today + timedelta(days=30))
                  .select_related("company").order_by("ends_on"))
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
