"""The one place that says what a company may do: its billing status, whether a paid feature
is on, and its limits. Toolkit, onboarding and the API call these; nothing else decides.

Billing never takes away what the party's work needs: members log in, read their history,
check in, pay dues and earn points whatever the status. Only the paid features pause."""

from datetime import datetime, time, timedelta

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
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


# --- The same answer, remembered: for checks made on every request (the API's PaidApi) ------
# Each API request asked feature_allowed(), 2 to 4 queries, for an answer that changes only
# when the company's billing rows change or a date passes. features_now() keeps the answer in
# the shared cache (one entry per company, read by every worker) until the first of: the next
# local midnight (sponsored periods and trials end by date), the end of the grace period when
# it is running, or FEATURES_CACHE_SECONDS (a safety net for writes that send no signal, e.g.
# a plan's edit, which reaches an account without one only). A write to the company's account
# or sponsored periods forgets it at once (features_forget: signals below, and the bulk grant).
FEATURES_CACHE_SECONDS = 60


def _features_key(company_id: int) -> str:
    return f"billing:features:{company_id}"


def _seconds_valid(account: BillingAccount, now) -> float:
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    until = [midnight, now + timedelta(seconds=FEATURES_CACHE_SECONDS)]
    ends = grace_ends(account)
    if ends is not None and ends > now:
        until.append(ends)
    return max(0.0, (min(until) - now).total_seconds())


def features_now(company: Company) -> frozenset[str]:
    """The paid features the company may use now (none while paused): feature_allowed()'s
    answer for every feature, remembered per company (above). For the hot checks; a service
    deciding a write asks feature_allowed()."""
    key = _features_key(company.pk)
    found = caches["shared"].get(key)
    if found is not None:
        return found
    now = timezone.now()
    account = account_of(company)
    allowed = (frozenset() if paid_features_paused(account, now=now)
               else frozenset([IMPORTS, *account.features]))
    seconds = _seconds_valid(account, now)
    if seconds >= 1:
        caches["shared"].set(key, allowed, seconds)
    return allowed


def features_forget(company_id: int) -> None:
    """After a write to the company's billing rows: now, and again when the transaction
    commits (a request in between may have remembered the rows it read before)."""
    key = _features_key(company_id)
    caches["shared"].delete(key)
    transaction.on_commit(lambda: caches["shared"].delete(key))


@receiver([post_save, post_delete], sender=BillingAccount, dispatch_uid="billing.features.account")
@receiver([post_save, post_delete], sender=SponsoredPeriod,
          dispatch_uid="billing.features.sponsorship")
def _billing_row_changed(sender, instance, **kwargs) -> None:
    features_forget(instance.company_id)
