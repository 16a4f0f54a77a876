from django.db.models import Count, QuerySet
from django_tenants.utils import get_public_schema_name

from tenants.models import Company, CompanyStatus, SpareSchema
from tenants.schemas import SPARE_PREFIX, TEMPLATE_SCHEMA, schema_exists, schema_names_like


def internal_schema_names() -> list[str]:
    """The template and the spare schemas: migrated with the companies, never served."""
    names = [TEMPLATE_SCHEMA] if schema_exists(TEMPLATE_SCHEMA) else []
    return names + schema_names_like(SPARE_PREFIX)


def companies_with_schemas() -> list[str]:
    """Schema names of the companies that have one (a pending or failed company has none)."""
    live = [CompanyStatus.ACTIVE, CompanyStatus.SUSPENDED, CompanyStatus.ARCHIVED]
    return list(companies().filter(status__in=live).order_by("pk")
                .values_list("schema_name", flat=True))


def companies() -> QuerySet[Company]:
    return Company.objects.exclude(schema_name=get_public_schema_name()).prefetch_related("domains")


def company_counts_by_status() -> dict[str, int]:
    counts = dict(companies().values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in CompanyStatus.values}


def spare_pool_size() -> int:
    return SpareSchema.objects.count()


def company_primary_url(*, company: Company, port: str = "") -> str:
    from django.conf import settings

    domain = next((d for d in company.domains.all() if d.is_primary), None)
    host = domain.domain if domain else ""
    port = "" if port in ("", "80", "443") else f":{port}"
    return f"{settings.SITE_SCHEME}://{host}{port}/"


def company_actions(*, company: Company) -> list[tuple[str, str]]:
    """The status changes staff may make now, as (target status, button label)."""
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
    return [(to, labels[to]) for to in ALLOWED_TRANSITIONS[company.status] if to in labels]


def company_status_counts() -> list[tuple[str, int]]:
    counts = company_counts_by_status()
    return [(label, counts[value]) for value, label in CompanyStatus.choices]


def current_company() -> Company:
    """The company whose schema this connection is on (a real row, whatever set the schema:
    a request, a task or schema_context)."""
    from django.db import connection

    return Company.objects.get(schema_name=connection.schema_name)
