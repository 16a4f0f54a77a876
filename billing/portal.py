"""The portal's actions for the API (and any caller that does not care which Stripe answers):
on the real API, Stripe sends its own events; on localstripe, billing.local sends them."""

from billing import local, services
from billing.gateway import gateway
from billing.models import BillingAccount, Plan
from tenants.models import Company


def portal_cancel(*, company: Company, cancel: bool) -> BillingAccount:
    """Cancel at the period end (or resume)."""
    if gateway().local:
        local.cancel_at_period_end(company=company, cancel=cancel)
        return services.account_refresh(company=company)
    return services.cancel_at_period_end_set(company=company, cancel=cancel)


def portal_switch(*, company: Company, plan: Plan, interval: str) -> BillingAccount:
    """Switch the subscription to another plan or interval, prorated."""
    if gateway().local:
        local.plan_switch(company=company, plan=plan, interval=interval)
        return services.account_refresh(company=company)
    return services.plan_switch(company=company, plan=plan, interval=interval)
