"""Company lifecycle and provisioning: the only code that creates, renames or drops schemas."""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from core.tasks import task_send
from tenants import schemas
from tenants.models import ALLOWED_TRANSITIONS, Company, CompanyStatus, Domain, Plan, SpareSchema
from tenants.signals import company_activated
from tenants.validators import schema_name_for, validate_company_slug

logger = logging.getLogger(__name__)
# One refill at a time across every process: an advisory lock, not a row.
_REFILL_LOCK_ID = 7_301_001
# Tasks are queued by name: tenants.tasks imports this module, never the reverse.
PROVISION_TASK = "tenants.tasks.company_provision_task"


class CompanyRefused(Refused):
    """A company's name or subdomain that cannot be used; fields name the inputs at fault."""


class TransitionRefused(Refused):
    """A status change the lifecycle does not allow; the message is shown to staff."""


@transaction.atomic
def company_create(*, name: str, slug: str, plan: str = Plan.TRIAL) -> Company:
    """Records a pending company and its domain; no schema yet (see company_provision)."""
    name, slug = name.strip(), slug.strip().lower()
    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [_("请填写公司名称。")]
    elif Company.objects.annotate(n=Lower("name")).filter(n=name.lower()).exists():
        errors["name"] = [_("已有同名公司“%(name)s”。") % {"name": name}]
    try:
        validate_company_slug(slug)
    except ValidationError as error:
        errors["slug"] = error.messages
    else:
        schema_name = schema_name_for(slug)
        taken = Company.objects.filter(slug=slug).exists() or Company.objects.filter(
            schema_name=schema_name).exists() or schemas.schema_exists(schema_name)
        if taken:
            errors["slug"] = [_("子域名“%(slug)s”已被使用。") % {"slug": slug}]
    if errors:
        raise CompanyRefused(code="company_invalid", fields=errors)
    try:
        with transaction.atomic():
            company = Company.objects.create(name=name, slug=slug, schema_name=schema_name,
                                             plan=plan)
            Domain.objects.create(tenant=company, domain=f"{slug}.{settings.BASE_DOMAIN}",
                                  is_primary=True)
    except IntegrityError as error:  # the same name or slug, created a moment ago
        raise CompanyRefused(code="company_taken", fields={"slug": [
            _("子域名“%(slug)s”或公司名称刚被占用，请换一个。") % {"slug": slug}]}) from error
    return company


@transaction.atomic
def company_transition(*, company: Company, to: str, **fields) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    # Only company_provision ends provisioning (active with a schema, or failed): a hand-made
    # "active" would serve a company whose schema does not exist.
    if locked.status == CompanyStatus.PROVISIONING or to not in ALLOWED_TRANSITIONS[locked.status]:
        raise TransitionRefused(
            _("公司状态不能从“%(old)s”变为“%(new)s”。")
            % {"old": locked.get_status_display(), "new": CompanyStatus(to).label}
        , code="transition_not_allowed")
    locked.status = to
    for field, value in fields.items():
        setattr(locked, field, value)
    locked.save()
    return locked


def company_status_set(*, company: Company, to: str) -> Company:
    """Staff's lever on a company's status: "provisioning" (re)starts provisioning, any other
    status is a lifecycle transition (refused when the lifecycle does not allow it)."""
    if to == CompanyStatus.PROVISIONING:
        return company_provision_start(company=company)
    if to not in CompanyStatus.values:
        raise TransitionRefused(_("未知的状态。"), code="status_unknown")
    return company_transition(company=company, to=to)


def company_provision_start(*, company: Company) -> Company:
    """Moves a pending (or failed) company to provisioning and queues the work."""
    with transaction.atomic():
        company = company_transition(
            company=company, to=CompanyStatus.PROVISIONING, provision_progress=5,
            provision_step=_("排队等待开通"), provision_error="",
        )
        transaction.on_commit(lambda: task_send(PROVISION_TASK, company.pk))
    return company


def provisioning_sweep(*, older_than_minutes: int = 5) -> list[int]:
    """Re-queues companies stuck in provisioning (a lost message, a crashed worker)."""
    stale = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    ids = list(Company.objects.filter(status=CompanyStatus.PROVISIONING, updated_at__lt=stale)
               .values_list("pk", flat=True))
    for company_id in ids:
        Company.objects.filter(pk=company_id).update(updated_at=timezone.now())
        task_send(PROVISION_TASK, company_id)
    return ids


def company_provision(*, company_id: int, use_pool: bool = True) -> Company:
    """Gives a provisioning company its schema: a spare renamed, or the template replayed.

    Safe to run twice (a company no longer provisioning is left alone). On failure the
    transaction takes the half-made schema with it and the company is marked failed.
    """
    started = time.perf_counter()
    Company.objects.filter(pk=company_id, status=CompanyStatus.PROVISIONING).update(
        provision_progress=20, provision_step=_("正在创建数据库结构")
    )
    try:
        with transaction.atomic():
            company = Company.objects.select_for_update().get(pk=company_id)
            if company.status != CompanyStatus.PROVISIONING:
                return company
            took_spare = use_pool and _spare_take(target=company.schema_name)
            if not took_spare:
                schemas.schema_create_from_template(name=company.schema_name)
            company.status = CompanyStatus.ACTIVE
            company.provision_progress = 100
            company.provision_step = _("已开通（取自预备库）") if took_spare else _("已开通")
            company.provision_ms = round((time.perf_counter() - started) * 1000)
            company.activated_at = timezone.now()
            company.save()
    except Exception as error:
        logger.exception("provisioning company %s failed", company_id)
        Company.objects.filter(pk=company_id).update(
            status=CompanyStatus.FAILED, provision_step=_("开通失败，可重试"),
            provision_error=str(error)[:2000],
        )
        raise
    transaction.on_commit(lambda: company_activated.send(sender=Company, company=company))
    if took_spare:
        _spare_pool_refill_later()
    return company


def _spare_take(*, target: str) -> bool:
    """Renames the oldest free spare to `target`. SKIP LOCKED: two activations never share one."""
    spare = SpareSchema.objects.select_for_update(skip_locked=True).order_by("created_at").first()
    if spare is None or not schemas.schema_exists(spare.name):
        return False
    schemas.schema_rename(old=spare.name, new=target)
    spare.delete()
    return True


def _spare_pool_refill_later() -> None:
    transaction.on_commit(lambda: task_send("tenants.tasks.spare_pool_refill_task"))


def spare_pool_refill(*, size: int | None = None) -> int:
    """Tops the warm pool up to `size` spare schemas; returns how many it made."""
    size = settings.SPARE_POOL_SIZE if size is None else size
    if size <= 0:
        return 0  # pool switched off
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REFILL_LOCK_ID])
        if not cursor.fetchone()[0]:
            return 0  # another process is refilling
    try:
        spare_pool_reconcile()
        made = 0
        while SpareSchema.objects.count() < size:
            spare_create()
            made += 1
        return made
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK_ID])


@transaction.atomic
def spare_create() -> SpareSchema:
    name = f"{schemas.SPARE_PREFIX}{uuid.uuid4().hex[:16]}"
    schemas.schema_create_from_template(name=name)
    return SpareSchema.objects.create(name=name)


@transaction.atomic
def spare_pool_reconcile() -> None:
    """Makes the pool's rows and the spare schemas agree (after a restore or a crash)."""
    existing = set(schemas.schema_names_like(schemas.SPARE_PREFIX))
    SpareSchema.objects.exclude(name__in=existing).delete()
    known = set(SpareSchema.objects.values_list("name", flat=True))
    SpareSchema.objects.bulk_create(SpareSchema(name=name) for name in existing - known)


def template_schema_ensure() -> None:
    """Creates the empty template schema; migrate_schemas then migrates it like a company."""
    if not schemas.schema_exists(schemas.TEMPLATE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {schemas.TEMPLATE_SCHEMA}")


@transaction.atomic
def public_tenant_ensure(*, domains: list[str]) -> Company:
    """The incubator's own site: the public schema, served on the base domain."""
    public, _created = Company.objects.get_or_create(
        schema_name="public",
        defaults={"name": "孵化器", "slug": "public", "status": CompanyStatus.ACTIVE},
    )
    for index, domain in enumerate(domains):
        Domain.objects.get_or_create(domain=domain, defaults={"tenant": public,
                                                              "is_primary": index == 0})
    return public
