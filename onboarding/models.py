"""The incubator's side of onboarding (public schema): applications, batches, and the figures
each company reports up from its own schema."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Company


class Industry(models.TextChoices):
    ECOMMERCE = "ecommerce", _("电子商务")
    MANUFACTURING = "manufacturing", _("制造业")
    IT = "it", _("信息技术")
    FINANCE = "finance", _("金融")
    RETAIL = "retail", _("批发零售")
    LOGISTICS = "logistics", _("交通物流")
    SERVICES = "services", _("现代服务业")
    AGRICULTURE = "agriculture", _("农业")
    OTHER = "other", _("其他")


class IncubationBatch(models.Model):
    name = models.CharField(_("批次名称"), max_length=100, unique=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("孵化批次")
        verbose_name_plural = _("孵化批次")
        ordering = ["-starts_on", "name"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")), name="batch_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class Application(models.Model):
    company_name = models.CharField(_("公司名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(_("所属行业"), max_length=20, choices=Industry.choices)
    contact_name = models.CharField(_("联系人"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11)
    email = models.EmailField(_("电子邮箱"))
    has_party_org = models.BooleanField(_("已建立党组织"), default=False)
    party_members = models.PositiveIntegerField(_("党员人数"), default=0)
    party_branches = models.PositiveIntegerField(_("党支部数"), default=0)
    preferred_batch = models.ForeignKey(IncubationBatch, verbose_name=_("意向孵化批次"),
                                        null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="applications")
    status = models.CharField(_("状态"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    reject_reason = models.TextField(_("驳回理由"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    company = models.OneToOneField(Company, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="application")
    # The web port staff used when approving: the invitation link points at the same server.
    site_port = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入驻申请")
        verbose_name_plural = _("入驻申请")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.company_name


class BatchEnrolment(models.Model):
    """A company's place in one incubation batch."""

    batch = models.ForeignKey(IncubationBatch, on_delete=models.CASCADE, related_name="enrolments")
    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="enrolment")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolled_at"]

    def __str__(self) -> str:
        return f"{self.company} @ {self.batch}"


class CompanyProgress(models.Model):
    """Figures a company's schema reports up, so staff never query across schemas."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="progress")
    units = models.PositiveIntegerField(default=0)
    branches = models.PositiveIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    admin_joined = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.company}: {self.members}"

    @property
    def setup_percent(self) -> int:
        """Admin joined, organisation built, members imported: a third each."""
        return round(100 * sum([self.admin_joined, self.branches > 0, self.members > 0]) / 3)


class EventKind(models.TextChoices):
    APPLIED = "applied", _("提交申请")
    APPROVED = "approved", _("批准入驻")
    PROVISIONED = "provisioned", _("站点开通")
    ADMIN_INVITED = "admin_invited", _("邀请管理员")
    ADMIN_JOINED = "admin_joined", _("管理员已设置密码")
    MEMBERS_IMPORTED = "members_imported", _("导入党员")
    TOOLKIT_ISSUED = "toolkit_issued", _("发放党建工具包")


class CompanyEvent(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


class HandbookState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ToolkitHandbook(models.Model):
    """The state of a company's toolkit handbook as its site reports it up (the full edition's
    latest version), so the batch page shows it without reading the company's tables."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="handbook")
    render_id = models.PositiveIntegerField(default=0)  # the version in the company's schema
    status = models.CharField(max_length=10, choices=HandbookState.choices,
                              default=HandbookState.QUEUED)
    pages = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent, while rendering
    step = models.CharField(max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.company}: {self.status}"

    @property
    def running(self) -> bool:
        return self.status in (HandbookState.QUEUED, HandbookState.RENDERING)


class ProjectFigureTotal(models.Model):
    """A company's service-project total for one figure, as its site reports it up when the
    company shares them (toolkit.projects, opt-in; 0026): staff sum these across companies
    and never read a company's tables. The company's rows are replaced at every report."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="project_totals")
    project_kind = models.CharField(max_length=20)
    project_kind_label = models.CharField(max_length=40)
    name = models.CharField(max_length=40)
    unit = models.CharField(max_length=10)
    kind = models.CharField(max_length=10)
    total = models.DecimalField(max_digits=16, decimal_places=2)
    reported_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["company", "project_kind", "name", "unit", "kind"],
            name="onboarding_project_total_once")]

    def __str__(self) -> str:
        return f"{self.company}: {self.name} {self.total}{self.unit}"
