"""Setting a company's terms in a test (billing.entitlements.account_for makes the account)."""

from billing.entitlements import account_for
from billing.models import BillingAccount
from tenants.models import Company


def member_limit_set(schema: str, limit: int) -> BillingAccount:
    account = account_for(Company.objects.get(schema_name=schema))
    account.member_limit = limit
    account.save(update_fields=["member_limit"])
    return account


def member_limit_set_all(limit: int) -> None:
    """Every company's member limit (the accounts there are, and the trial plan new ones copy)."""
    from billing.defaults import plans_seed
    from billing.models import Plan

    plans_seed(Plan)
    Plan.objects.filter(code="trial").update(member_limit=limit)
    BillingAccount.objects.update(member_limit=limit)


def plan_of(code: str):
    """A default plan (made again after a transactional test flushed the tables)."""
    from billing.defaults import plans_seed
    from billing.models import Plan

    plans_seed(Plan)
    return Plan.objects.get(code=code)
