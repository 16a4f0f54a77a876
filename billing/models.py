"""Billing (public schema): plans as data, each company's account with the terms it bought,
sponsored periods, the Stripe webhook events received, and invoices mirrored from Stripe.

Amounts are kept in fen (integers), as Stripe counts them; prices shown are yuan."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Company


class Feature(models.TextChoices):
    """What a plan may include; every one of them pauses after the grace period."""

    TRAINING_SEATS = "training_seats", _("培训席位")
    HANDBOOK_PDF = "handbook_pdf", _("党建台账手册 PDF")
    API = "api", _("开放接口（API）")
    BIG_SCREEN = "big_screen", _("大屏展示")
    QUIZ_DUEL = "quiz_duel", _("答题 PK")


class Interval(models.TextChoices):
    MONTH = "month", _("按月")
    YEAR = "year", _("按年")


class BillingStatus(models.TextChoices):
    """What the company's billing is now; separate from the company's lifecycle status."""

    TRIALING = "trialing", _("试用中")
    SPONSORED = "sponsored", _("孵化期赞助")
    ACTIVE = "active", _("已订阅")
    PAST_DUE = "past_due", _("逾期未付")
    CANCELED = "canceled", _("未订阅")


class Plan(models.Model):
    """A plan staff edit. A change reaches new subscriptions at once and existing ones at their
    renewal: an account keeps a copy of the terms it bought (BillingAccount.member_limit...)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    price_month_fen = models.PositiveIntegerField(_("月付价格（分）"), default=0)
    price_year_fen = models.PositiveIntegerField(_("年付价格（分）"), default=0)
    member_limit = models.PositiveIntegerField(_("党员上限"))
    storage_quota_bytes = models.PositiveBigIntegerField(_("存储空间（字节）"))
    features = models.JSONField(_("功能"), default=list, blank=True)
    is_public = models.BooleanField(_("可订阅"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("套餐")
        verbose_name_plural = _("套餐")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.name

    def price_fen(self, interval: str) -> int:
        return self.price_year_fen if interval == Interval.YEAR else self.price_month_fen


class StripePrice(models.Model):
    """The Stripe object (a Price, or a Plan on localstripe) selling one plan at one interval and
    amount. Stripe prices cannot change: a new amount gets a new row."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stripe_prices")
    interval = models.CharField(max_length=10, choices=Interval.choices)
    amount_fen = models.PositiveIntegerField()
    api_base = models.CharField(max_length=200)  # which Stripe (localstripe or the real API)
    stripe_id = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["plan", "interval", "amount_fen", "api_base"],
            name="billing_stripeprice_unique")]

    def __str__(self) -> str:
        return self.stripe_id


class PriceRollState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("已中断")


class PriceRoll(models.Model):
    """Moving a plan's live subscriptions to its current price after staff changed it, in the
    worker (billing.tasks.plan_prices_roll_task; docs/decisions/0037): one row per plan, its
    latest run. Accounts are taken in id order; `after_account` is the last one done, so a
    retry goes on from there. A new start is a new `run`: an older run's task stops."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True,
                                related_name="price_roll")
    run = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=PriceRollState.choices,
                             default=PriceRollState.QUEUED)
    after_account = models.PositiveIntegerField(default=0)  # the last account's id done
    total = models.PositiveIntegerField(default=0)  # live subscriptions on the plan
    checked = models.PositiveIntegerField(default=0)  # of them read (moved, or on the price)
    moved = models.PositiveIntegerField(default=0)  # of them moved to the new price
    attempts = models.PositiveIntegerField(default=0)  # the task's retries in this run
    error = models.TextField(blank=True)  # the last failure, with the company it was at
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    STALLED_AFTER = timedelta(minutes=10)

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.run} {self.state}"

    def stopped(self, *, now=None) -> bool:
        """Failed, or queued or running with no progress for STALLED_AFTER (its message or its
        worker was lost): staff may retry it."""
        if self.state == PriceRollState.FAILED:
            return True
        stale = (now or timezone.now()) - self.updated_at > self.STALLED_AFTER
        return self.state in (PriceRollState.QUEUED, PriceRollState.RUNNING) and stale


class BillingAccount(models.Model):
    """One company's billing: the terms it has (copied from its plan at subscription and at each
    renewal), Stripe's view of its subscription, its storage in use and its 发票 details."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="billing")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="accounts")
    interval = models.CharField(max_length=10, choices=Interval.choices, default=Interval.MONTH)
    member_limit = models.PositiveIntegerField(_("党员上限"))
    storage_quota_bytes = models.PositiveBigIntegerField(_("存储空间（字节）"))
    features = models.JSONField(_("功能"), default=list)
    # What the subscription bought costs a period (fen, at `interval`): the StripePrice's amount
    # when the terms were copied, not the plan's list price now (staff's new price is paid
    # from the renewal; monthly recurring revenue sums this). 0 without a subscription.
    price_fen = models.PositiveIntegerField(_("订阅价格（分）"), default=0)
    terms_period_start = models.DateTimeField(null=True, blank=True)  # the period they were set
    storage_used_bytes = models.BigIntegerField(_("已用存储（字节）"), default=0)

    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=100, blank=True, db_index=True)
    subscription_status = models.CharField(max_length=30, blank=True)  # Stripe's, normalised
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True)
    grace_days = models.PositiveSmallIntegerField(_("宽限期（天）"), default=14)
    synced_at = models.DateTimeField(null=True, blank=True)  # Stripe's state last read

    invoice_title = models.CharField(_("发票抬头"), max_length=100, blank=True)
    tax_id = models.CharField(_("税号"), max_length=30, blank=True)
    invoice_address = models.CharField(_("地址、电话"), max_length=200, blank=True)
    invoice_bank = models.CharField(_("开户行及账号"), max_length=200, blank=True)
    email = models.EmailField(_("账单邮箱"), blank=True)

    class Meta:
        verbose_name = _("计费账户")
        verbose_name_plural = _("计费账户")

    def __str__(self) -> str:
        return str(self.company_id)


class SponsorKind(models.TextChoices):
    TRIAL = "trial", _("试用")
    SPONSORED = "sponsored", _("孵化期免费")


class SponsoredPeriod(models.Model):
    """A period the incubator pays for (a trial is one): the company has its plan's terms and
    pays nothing. Granted to a company, or to every company of a batch at once."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sponsorships")
    kind = models.CharField(max_length=20, choices=SponsorKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ends_on"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="billing_sponsorship_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.company_id} {self.starts_on}–{self.ends_on}"


class WebhookEvent(models.Model):
    """A Stripe event as received (signature verified). The unique event id makes a redelivery
    a no-op; `processed_at` is set in the transaction that applied it, so it applies once."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    customer = models.CharField(max_length=100, blank=True)  # the Stripe customer it is about
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    effects = models.PositiveIntegerField(default=0)  # times applied: 1 at most, by design
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)  # retries exhausted: staff look

    class Meta:
        ordering = ["-received_at"]
        # A customer's pending events, applied together (billing.sync.events_process; 0034).
        indexes = [models.Index(fields=["customer"], name="billing_webhook_pending",
                                condition=models.Q(processed_at__isnull=True))]

    def __str__(self) -> str:
        return self.event_id


class Invoice(models.Model):
    """Stripe's invoice, mirrored for the admin and staff (not a 发票)."""

    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="invoices")
    stripe_id = models.CharField(max_length=100, unique=True)
    number = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=30)
    amount_due_fen = models.PositiveIntegerField(default=0)
    amount_paid_fen = models.PositiveIntegerField(default=0)
    payment_failed = models.BooleanField(default=False)
    created = models.DateTimeField()
    hosted_url = models.URLField(max_length=500, blank=True)
    pdf_url = models.URLField(max_length=500, blank=True)
    paid_by_transfer = models.CharField(_("对公转账凭证"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.stripe_id


def _private_storage():
    # Not a company's storage (staff upload on the incubator's site, the admin downloads on the
    # company's) and no URL: only billing's views hand the file out, to its company.
    from django.core.files.storage import storages

    return storages["shared"]


class FapiaoKind(models.TextChoices):
    GENERAL = "general", _("增值税普通发票")
    SPECIAL = "special", _("增值税专用发票")


class Fapiao(models.Model):
    """A 增值税发票 the admin asked for against a paid invoice (Stripe's invoices are not
    发票): the company's details as they were asked, then staff's number and PDF."""

    invoice = models.OneToOneField(Invoice, on_delete=models.CASCADE, related_name="fapiao")
    kind = models.CharField(_("发票类型"), max_length=10, choices=FapiaoKind.choices)
    title = models.CharField(_("发票抬头"), max_length=100)
    tax_id = models.CharField(_("税号"), max_length=30)
    address = models.CharField(_("地址、电话"), max_length=200, blank=True)
    bank = models.CharField(_("开户行及账号"), max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    number = models.CharField(_("发票号码"), max_length=40, blank=True)
    pdf = models.FileField(upload_to="billing/fapiao/", blank=True, storage=_private_storage)
    issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.number or str(self.invoice_id)
