from typing import NamedTuple

from django.db.models import Count, QuerySet
from django_tenants.utils import get_public_schema_name

from tenants.models import Company, CompanyStatus, SpareSchema
from tenants.schemas import SPARE_PREFIX, TEMPLATE_SCHEMA, schema_exists, schema_names_like


def internal_schema_names() -> list[str]:
    """Schema names (from the catalogue, not rows) of the template and the spare schemas:
    migrated with the companies, never served."""
    names = [TEMPLATE_SCHEMA] if schema_exists(TEMPLATE_SCHEMA) else []
    return names + schema_names_like(SPARE_PREFIX)


def companies_with_schemas(*, created_before=None) -> list[str]:
    """An aggregate for migrations and maintenance: schema names of the companies that have
    one (a pending or failed company has none); those created before a moment, if given."""
    live = [CompanyStatus.ACTIVE, CompanyStatus.SUSPENDED, CompanyStatus.ARCHIVED]
    qs = companies().filter(status__in=live)
    if created_before is not None:
        qs = qs.filter(created_at__lt=created_before)
    return list(qs.order_by("pk").values_list("schema_name", flat=True))


def companies() -> QuerySet[Company]:
    return Company.objects.exclude(schema_name=get_public_schema_name()).prefetch_related("domains")


def company_counts_by_status() -> dict[str, int]:
    """An aggregate: {status value: number of companies}, every status present."""
    counts = dict(companies().values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in CompanyStatus.values}


def spare_pool_size() -> int:
    """How many prepared schemas wait in the warm pool."""
    return SpareSchema.objects.count()


def company_primary_url(*, company: Company, port: str = "") -> str:
    """The company's site address from its primary domain (a value, not a query)."""
    from django.conf import settings

    domain = next((d for d in company.domains.all() if d.is_primary), None)
    host = domain.domain if domain else ""
    port = "" if port in ("", "80", "443") else f":{port}"
    return f"{settings.SITE_SCHEME}://{host}{port}/"


class StatusAction(NamedTuple):
    status: str  # the target CompanyStatus
    label: str  # the button's label


def company_actions(*, company: Company) -> list[StatusAction]:
    """The status changes staff may make now (a rule over ALLOWED_TRANSITIONS: a list, not a
    query)."""
    from django.utils.translation import gettext as _

    from tenants.models import ALLOWED_TRANSITIONS

    labels = {
        CompanyStatus.PROVISIONING: _("重试开通") if company.status == CompanyStatus.FAILED
        else _("开通"),
        CompanyStatus.SUSPENDED: _("暂停"),
        CompanyStatus.ACTIVE: _("恢复"),
        CompanyStatus.ARCHIVED: _("归档"),
    }
    # Provisioning decides active/failed itself; staff never set those by hand from there.
    if company.status == CompanyStatus.PROVISIONING:
        return []
    return [StatusAction(to, labels[to]) for to in ALLOWED_TRANSITIONS[company.status]
            if to in labels]


class StatusCount(NamedTuple):
    label: str
    count: int


def company_status_counts() -> list[StatusCount]:
    """An aggregate for the staff's company list: each status's label and count, in order."""
    counts = company_counts_by_status()
    return [StatusCount(label, counts[value]) for value, label in CompanyStatus.choices]


def current_company() -> Company:
    """The company whose schema this connection is on (a real row, whatever set the schema:
    a request, a task or schema_context)."""
    from django.db import connection

    return Company.objects.get(schema_name=connection.schema_name)
