"""先锋指数 (per member) and 堡垒指数 (per branch), quarter by quarter (docs/decisions/0019)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.life.models import Meeting
from toolkit.org.models import Member, OrgUnit

WEIGHT = {"max_digits": 6, "decimal_places": 2,
          "validators": [MinValueValidator(0), MaxValueValidator(1000)]}
SCORE = {"max_digits": 10, "decimal_places": 2}


class StarRule(models.TextChoices):
    TOP_SHARE = "top_share", _("前若干百分比")
    THRESHOLD = "threshold", _("达到分数线")


class IndexSettings(models.Model):
    """The company's formulas (one row): admins edit it; each quarter keeps a copy of the
    formula it was computed with."""

    # 先锋指数: points of each category are multiplied by its weight.
    w_study = models.DecimalField(_("学习权重"), default=Decimal("1.00"), **WEIGHT)
    w_org_life = models.DecimalField(_("组织生活权重"), default=Decimal("1.00"), **WEIGHT)
    w_contribution = models.DecimalField(_("贡献权重"), default=Decimal("1.00"), **WEIGHT)
    w_positive = models.DecimalField(_("加分项权重"), default=Decimal("1.00"), **WEIGHT)
    w_negative = models.DecimalField(_("减分项权重"), default=Decimal("1.00"), **WEIGHT)
    star_rule = models.CharField(_("党员之星评选方式"), max_length=20, choices=StarRule.choices,
                                 default=StarRule.TOP_SHARE)
    star_share = models.PositiveSmallIntegerField(
        _("前百分之几"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)])
    star_threshold = models.DecimalField(_("分数线"), default=Decimal("100.00"),
                                         max_digits=10, decimal_places=2)
    self_days = models.PositiveSmallIntegerField(
        _("自评天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)])
    review_days = models.PositiveSmallIntegerField(
        _("支部审核天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)])
    confirm_days = models.PositiveSmallIntegerField(
        _("党委确认天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)])
    # 堡垒指数: the four monthly measures, each 0–1, weighted.
    f_points = models.DecimalField(_("党员积分权重"), default=Decimal("40.00"), **WEIGHT)
    f_meetings = models.DecimalField(_("三会一课权重"), default=Decimal("30.00"), **WEIGHT)
    f_dues = models.DecimalField(_("按时交纳党费权重"), default=Decimal("15.00"), **WEIGHT)
    f_tasks = models.DecimalField(_("任务完成权重"), default=Decimal("15.00"), **WEIGHT)
    flag_title = models.CharField(_("称号"), max_length=20, default="红旗支部")
    flag_count = models.PositiveSmallIntegerField(
        _("每季度评选个数"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)])

    class Meta:
        verbose_name = _("指数设置")
        verbose_name_plural = _("指数设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class ItemKind(models.TextChoices):
    POSITIVE = "positive", _("加分")
    NEGATIVE = "negative", _("减分")


class ItemCode(models.TextChoices):
    """Items the toolkit records by itself, from what happened elsewhere."""

    ABSENT_WITHOUT_LEAVE = "absent_without_leave", _("会议缺席未请假（按考勤自动登记）")


class IndexItem(models.Model):
    """A named positive or negative item (e.g. 表彰 +5, 无故缺席组织生活 −3)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=ItemKind.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(0), MaxValueValidator(1000)])
    active = models.BooleanField(_("启用"), default=True)
    # Blank: recorded by hand only.
    code = models.CharField(_("自动登记"), max_length=30, choices=ItemCode.choices, blank=True,
                            default="")

    class Meta:
        verbose_name = _("加减分项")
        verbose_name_plural = _("加减分项")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""),
                                               name="indices_item_code_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def signed(self) -> Decimal:
        return self.points if self.kind == ItemKind.POSITIVE else -self.points


class ItemRecord(models.Model):
    """An item given to a member in a quarter, counted in that quarter's draft."""

    quarter = models.DateField(_("季度"))  # its first day
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="index_items")
    item = models.ForeignKey(IndexItem, verbose_name=_("加减分事项"), on_delete=models.PROTECT,
                             related_name="records")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # The meeting an absence was recorded from (an item with a code); blank when by hand.
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("加减分事项记录")
        verbose_name_plural = _("加减分事项记录")
        ordering = ["-recorded_at"]
        constraints = [models.UniqueConstraint(
            fields=["meeting", "member", "item"], condition=models.Q(meeting__isnull=False),
            name="indices_item_once_a_meeting")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.item_id}"


class Quarter(models.Model):
    """A quarter's vanguard round: drafts computed once, with the formula then in force."""

    start = models.DateField(_("季度起始日"), unique=True)  # first day of the quarter
    formula = models.JSONField(_("计算公式"))
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)
    self_deadline = models.DateField(_("自评截止日期"))
    review_deadline = models.DateField(_("支部审核截止日期"))
    confirm_deadline = models.DateField(_("党委确认截止日期"))
    stars_named_at = models.DateTimeField(_("党员之星评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考评季度")
        verbose_name_plural = _("考评季度")
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        return str(self)


class Step(models.TextChoices):
    SELF = "self", _("待自评")
    REVIEW = "review", _("待支部审核")
    CONFIRM = "confirm", _("待党委确认")
    DONE = "done", _("已确认")


class MemberIndex(models.Model):
    quarter = models.ForeignKey(Quarter, verbose_name=_("季度"), on_delete=models.CASCADE,
                                related_name="results")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                               related_name="indices")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("所在组织"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    # Category points, items, months present
    breakdown = models.JSONField(_("得分明细"))
    draft = models.DecimalField(_("初算得分"), **SCORE)
    step = models.CharField(_("当前步骤"), max_length=10, choices=Step.choices,
                            default=Step.SELF)
    self_assessment = models.TextField(_("自评"), blank=True)
    self_at = models.DateTimeField(_("自评时间"), null=True, blank=True)
    adjustment = models.DecimalField(_("调整分"), default=Decimal("0"), **SCORE)
    adjust_reason = models.CharField(_("调整理由"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    final = models.DecimalField(_("最终得分"), null=True, blank=True, **SCORE)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    star = models.BooleanField(_("评为党员之星"), default=False)

    class Meta:
        verbose_name = _("党员先锋指数")
        verbose_name_plural = _("党员先锋指数")
        ordering = ["-quarter__start", "-final", "member_id"]
        constraints = [models.UniqueConstraint(fields=["quarter", "member"],
                                               name="indices_member_once_a_quarter")]
        indexes = [models.Index(fields=["quarter", "step"], name="indices_step_idx")]

    def __str__(self) -> str:
        return f"{self.quarter} {self.member_id}"


class BranchMonth(models.Model):
    """月度终评 of a branch: the four measures (0–1) and the month's score (0–100)."""

    branch = models.ForeignKey(OrgUnit, verbose_name=_("支部"), on_delete=models.CASCADE,
                               related_name="fortress_months")
    month = models.DateField(_("月份"))
    members = models.PositiveIntegerField(_("党员人数"))
    points_avg = models.DecimalField(_("人均积分"), **SCORE)
    # The branch's points per member over the best branch's
    points_share = models.DecimalField(_("人均积分相对值"), max_digits=5, decimal_places=4)
    meetings_share = models.DecimalField(_("三会一课完成率"), max_digits=5, decimal_places=4)
    dues_share = models.DecimalField(_("按时交纳党费比例"), max_digits=5, decimal_places=4)
    tasks_share = models.DecimalField(_("任务完成率"), max_digits=5, decimal_places=4)
    score = models.DecimalField(_("得分"), **SCORE)
    settled_at = models.DateTimeField(_("结算时间"), auto_now=True)

    class Meta:
        verbose_name = _("支部月度终评")
        verbose_name_plural = _("支部月度终评")
        ordering = ["-month", "-score"]
        constraints = [models.UniqueConstraint(fields=["branch", "month"],
                                               name="indices_branch_month_once")]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.month:%Y-%m}"


class BranchQuarter(models.Model):
    """堡垒指数 of a branch for a quarter, its rank and whether it holds the title."""

    branch = models.ForeignKey(OrgUnit, verbose_name=_("支部"), on_delete=models.CASCADE,
                               related_name="fortress_quarters")
    quarter = models.DateField(_("季度"))
    score = models.DecimalField(_("堡垒指数"), **SCORE)
    rank = models.PositiveIntegerField(_("名次"))
    flag = models.BooleanField(_("获评称号"), default=False)
    flag_title = models.CharField(_("称号"), max_length=20)
    formula = models.JSONField(_("计算公式"))

    class Meta:
        verbose_name = _("支部季度堡垒指数")
        verbose_name_plural = _("支部季度堡垒指数")
        ordering = ["-quarter", "rank", "branch_id"]
        constraints = [models.UniqueConstraint(fields=["branch", "quarter"],
                                               name="indices_branch_quarter_once")]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.quarter}"
