from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class CompanyStatus(models.TextChoices):
    PENDING = "pending", _("待开通")
    PROVISIONING = "provisioning", _("开通中")
    FAILED = "failed", _("开通失败")
    ACTIVE = "active", _("运行中")
    SUSPENDED = "suspended", _("已暂停")
    ARCHIVED = "archived", _("已归档")


# The lifecycle: which status may follow which. A failed provisioning may be retried.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CompanyStatus.PENDING: {CompanyStatus.PROVISIONING},
    CompanyStatus.PROVISIONING: {CompanyStatus.ACTIVE, CompanyStatus.FAILED},
    CompanyStatus.FAILED: {CompanyStatus.PROVISIONING},
    CompanyStatus.ACTIVE: {CompanyStatus.SUSPENDED},
    CompanyStatus.SUSPENDED: {CompanyStatus.ACTIVE, CompanyStatus.ARCHIVED},
    CompanyStatus.ARCHIVED: set(),
}


class Plan(models.TextChoices):
    TRIAL = "trial", _("试用版")
    STANDARD = "standard", _("标准版")
    PROFESSIONAL = "professional", _("专业版")


class Company(TenantMixin):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    slug = models.SlugField(_("子域名"), max_length=40, unique=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.PENDING
    )
    plan = models.CharField(_("套餐"), max_length=20, choices=Plan.choices, default=Plan.TRIAL)
    provision_progress = models.PositiveSmallIntegerField(_("开通进度"), default=0)
    provision_step = models.CharField(_("开通步骤"), max_length=100, blank=True)
    provision_error = models.TextField(_("开通错误"), blank=True)
    provision_ms = models.PositiveIntegerField(_("开通耗时（毫秒）"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    activated_at = models.DateTimeField(_("开通时间"), null=True, blank=True)
    # The origins (one a line, e.g. https://h5.example.com) of the company's own H5 app that
    # may call its API from a browser (CORS, api/cors.py).
    api_origins = models.TextField(_("API 允许的来源"), blank=True)

    # Schemas are made by tenants.services (DDL replay or a spare schema), never by save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("公司")
        verbose_name_plural = _("公司")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="tenants_company_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        from django_tenants.utils import get_public_schema_name

        return self.schema_name == get_public_schema_name()


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("域名")
        verbose_name_plural = _("域名")


class SpareSchema(models.Model):
    """A migrated, empty company schema waiting in the warm pool to be renamed."""

    name = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class SchemaTemplate(models.Model):
    """The SQL that recreates a company schema, built once per migration state."""

    migration_key = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.migration_key[:12]
