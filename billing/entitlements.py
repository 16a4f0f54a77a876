"""The one place that says what a company may do: its billing status, whether a paid feature
is on, and its limits. Toolkit, onboarding and the API call these; nothing else decides.

Billing never takes away what the party's work needs: members log in, read their history,
check in, pay dues and earn points whatever the status. Only the paid features pause."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.defaults import plans_seed
from billing.models import (
    BillingAccount,
    BillingStatus,
    Feature,
    Plan,
    SponsoredPeriod,
    SponsorKind,
)
from tenants.models import Company

TRIAL_DAYS = 30
# Stripe's subscription statuses that mean money is owed.
OWING = {"past_due", "unpaid"}


def _terms_of(company: Company) -> BillingAccount:
    """The account the company would start with (unsaved)."""
    if not Plan.objects.exists():  # a fresh or flushed database: the defaults first
        plans_seed(Plan)
    plan = Plan.objects.filter(code=company.plan).first() or Plan.objects.order_by("sort").first()
    return BillingAccount(company=company, plan=plan, member_limit=plan.member_limit,
                          storage_quota_bytes=plan.storage_quota_bytes,
                          features=list(plan.features))


def trial_dates(company: Company):
    start = timezone.localdate(company.created_at or timezone.now())
    return start, start + timedelta(days=TRIAL_DAYS)


def account_of(company: Company) -> BillingAccount:
    """Read only: the company's account, or the one it would start with (unsaved, in its
    trial). What the checks read, so that asking costs the same every time."""
    account = BillingAccount.objects.select_related("plan").filter(company_id=company.pk).first()
    return account or _terms_of(company)


def account_for(company: Company) -> BillingAccount:
    """The company's account; the first call makes it on the plan the company signed up for,
    with a trial (a sponsored period) from the day the company was created."""
    try:
        return BillingAccount.objects.select_related("plan").get(company_id=company.pk)
    except BillingAccount.DoesNotExist:
        pass
    account = _terms_of(company)
    try:
        with transaction.atomic():
            account.save()
            start, end = trial_dates(company)
            SponsoredPeriod.objects.create(company_id=company.pk, kind=SponsorKind.TRIAL,
                                           starts_on=start, ends_on=end)
    except IntegrityError:  # made at the same moment by another request
        return BillingAccount.objects.select_related("plan").get(company_id=company.pk)
    return account


def sponsorship_now(company_id: int, *, now=None, trial: bool = True) -> SponsoredPeriod | None:
    """The sponsored period running today; `trial=False` leaves trials out."""
    today = timezone.localdate(now or timezone.now())
    periods = SponsoredPeriod.objects.filter(company_id=company_id, starts_on__lte=today,
                                             ends_on__gte=today)
    if not trial:
        periods = periods.exclude(kind=SponsorKind.TRIAL)
    return periods.order_by("-ends_on").first()


def billing_status(account: BillingAccount, *, now=None) -> str:
    """A paid subscription first, then money owed, then a sponsored period, else none."""
    if account.subscription_status in ("active", "trialing"):
        return BillingStatus.ACTIVE
    if account.subscription_status in OWING:
        return BillingStatus.PAST_DUE
    # A trial ends with the first subscription; a sponsorship runs its course whatever happens.
    period = sponsorship_now(account.company_id, now=now,
                             trial=not account.stripe_subscription_id)
    if period is not None:
        trial = period.kind == SponsorKind.TRIAL
        return BillingStatus.TRIALING if trial else BillingStatus.SPONSORED
    if account.pk is None:  # not made yet: its trial is implied
        start, end = trial_dates(account.company)
        if start <= timezone.localdate(now or timezone.now()) <= end:
            return BillingStatus.TRIALING
    return BillingStatus.CANCELED


def grace_ends(account: BillingAccount):
    if account.past_due_since is None:
        return None
    return account.past_due_since + timedelta(days=account.grace_days)


def paid_features_paused(account: BillingAccount, *, now=None) -> bool:
    """Past due beyond the grace period, or nothing paid and nothing sponsored."""
    now = now or timezone.now()
    status = billing_status(account, now=now)
    if status == BillingStatus.PAST_DUE:
        ends = grace_ends(account)
        return ends is not None and now >= ends
    return status == BillingStatus.CANCELED


def feature_allowed(company: Company, feature: str, *, now=None) -> bool:
    """Whether the company may use a paid feature now: its plan has it and it is not paused.
    `feature` is a billing.models.Feature value, or "imports" (every plan; paused like the rest)."""
    account = account_of(company)
    if paid_features_paused(account, now=now):
        return False
    return feature == IMPORTS or feature in account.features


IMPORTS = "imports"
PAID_FEATURES = [IMPORTS, *Feature.values]
