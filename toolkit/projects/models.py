"""Service projects (百县千品, 乡村振兴): a goal, a period, participants, and figures each project
defines for itself; progress reports with evidence add to them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class ProjectKind(models.TextChoices):
    COUNTY_PRODUCTS = "county_products", _("百县千品")
    RURAL_REVIVAL = "rural_revival", _("乡村振兴")


class Project(models.Model):
    name = models.CharField(_("名称"), max_length=80, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=ProjectKind.choices)
    goal = models.TextField(_("目标"), max_length=1000)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目")
        ordering = ["-starts_on", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="projects_period_in_order")]

    def __str__(self) -> str:
        return self.name


class FigureKind(models.TextChoices):
    COUNT = "count", _("数量")
    WEIGHT = "weight", _("重量")
    MONEY = "money", _("金额")
    PEOPLE = "people", _("人数")


class Figure(models.Model):
    """One figure a project counts (e.g. 上线产品 个, 销售 斤, 销售额 元, 带动农户 户)."""

    project = models.ForeignKey(Project, verbose_name=_("所属项目"), on_delete=models.CASCADE,
                                related_name="figures")
    name = models.CharField(_("指标"), max_length=40)
    unit = models.CharField(_("单位"), max_length=10)
    kind = models.CharField(_("类型"), max_length=10, choices=FigureKind.choices)
    target = models.DecimalField(_("目标值"), null=True, blank=True,
                                 validators=[MinValueValidator(0)], **AMOUNT)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目指标")
        verbose_name_plural = _("项目指标")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"],
                                               name="projects_figure_name_once")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Participant(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("所属项目"), on_delete=models.CASCADE,
                                related_name="participants")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="+")
    joined_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目参与人")
        verbose_name_plural = _("项目参与人")
        constraints = [models.UniqueConstraint(fields=["project", "member"],
                                               name="projects_participant_once")]

    def __str__(self) -> str:
        return f"{self.project}: {self.member}"


class Report(models.Model):
    """A participant's progress report: what it adds to each figure, and its evidence."""

    project = models.ForeignKey(Project, verbose_name=_("所属项目"), on_delete=models.CASCADE,
                                related_name="reports")
    member = models.ForeignKey(Member, verbose_name=_("报告人"), on_delete=models.PROTECT,
                               related_name="+")
    occurred_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=500)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project} {self.occurred_on}"


class ReportValue(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("所属报告"), on_delete=models.CASCADE,
                               related_name="values")
    figure = models.ForeignKey(Figure, verbose_name=_("指标"), on_delete=models.PROTECT,
                               related_name="values")
    value = models.DecimalField(_("数值"), validators=[MinValueValidator(0)], **AMOUNT)

    class Meta:
        verbose_name = _("报告指标值")
        verbose_name_plural = _("报告指标值")
        constraints = [
            models.UniqueConstraint(fields=["report", "figure"], name="projects_value_once"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="projects_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.figure}: {self.value}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("所属报告"), on_delete=models.CASCADE,
                               related_name="evidence")
    file = models.FileField(_("文件"), upload_to="project-evidence/")
    name = models.CharField(_("文件名"), max_length=200)
    # From the content, not the name
    content_type = models.CharField(_("文件格式"), max_length=60)
    # What the plan's storage counted for it (0: kept before files counted)
    size = models.PositiveBigIntegerField(_("文件大小（字节）"), default=0)

    class Meta:
        verbose_name = _("项目佐证材料")
        verbose_name_plural = _("项目佐证材料")

    def __str__(self) -> str:
        return self.name


class ProjectSettings(models.Model):
    """One row: whether the company reports its project totals up to the incubator (opt-in)."""

    share_with_incubator = models.BooleanField(_("向孵化器报送项目汇总数据"), default=False)

    class Meta:
        verbose_name = _("项目设置")
        verbose_name_plural = _("项目设置")

    def __str__(self) -> str:
        return str(self.share_with_incubator)
