"""Organisational life (三会一课, 主题党日) and party dues (党费)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member, OrgUnit


class MeetingKind(models.TextChoices):
    BRANCH_ASSEMBLY = "branch_assembly", _("支部党员大会")
    COMMITTEE = "committee", _("支委会")
    GROUP = "group", _("党小组会")
    LESSON = "lesson", _("党课")
    THEME_DAY = "theme_day", _("主题党日")


class Meeting(models.Model):
    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("组织"), on_delete=models.PROTECT,
                             related_name="meetings")
    title = models.CharField(_("主题"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    location = models.CharField(_("地点"), max_length=100, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    minutes = models.TextField(_("会议记录"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="life_meeting_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    MANUAL = "manual", _("书记登记")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="attendances")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="attendances")
    method = models.CharField(_("签到方式"), max_length=10, choices=AttendanceMethod.choices)
    # Services may date the past
    checked_in_at = models.DateTimeField(_("签到时间"), default=timezone.now)

    class Meta:
        verbose_name = _("出勤记录")
        verbose_name_plural = _("出勤记录")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="life_attend_once")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class LeaveRequest(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE,
                                related_name="leave_requests")
    member = models.ForeignKey(Member, verbose_name=_("请假人"), on_delete=models.PROTECT,
                               related_name="leave_requests")
    reason = models.CharField(_("请假理由"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=LeaveStatus.choices,
                              default=LeaveStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("请假申请")
        verbose_name_plural = _("请假申请")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="life_leave_once")]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.member}"


class ComplianceRule(models.Model):
    """How often each kind of meeting is required (in months), per company."""

    kind = models.CharField(_("类型"), max_length=20, choices=MeetingKind.choices, unique=True)
    # Periods are aligned to the year (monthly, quarterly…): one to twelve months.
    every_months = models.PositiveSmallIntegerField(
        _("每几个月一次"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    # Amber when the period ends within this many days and no meeting has been held yet.
    warn_days = models.PositiveSmallIntegerField(_("提前提醒天数"), default=7,
                                                 validators=[MaxValueValidator(90)])

    class Meta:
        verbose_name = _("会议频次")
        verbose_name_plural = _("会议频次")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    STUDENT = "student", _("学生")
    UNEMPLOYED = "unemployed", _("无固定收入")
    RETIRED = "retired", _("离退休")


class DuesSettings(models.Model):
    """The company's fixed monthly amounts for members without a wage (one row)."""

    student = models.DecimalField(_("学生党员"), max_digits=8, decimal_places=2,
                                  default=Decimal("0.20"), validators=[MinValueValidator(0)])
    unemployed = models.DecimalField(_("无固定收入党员"), max_digits=8, decimal_places=2,
                                     default=Decimal("0.20"), validators=[MinValueValidator(0)])
    retired = models.DecimalField(_("离退休党员"), max_digits=8, decimal_places=2,
                                  default=Decimal("0.50"), validators=[MinValueValidator(0)])
    # A day every month has: the 29th to 31st would skip February.
    due_day = models.PositiveSmallIntegerField(
        _("每月截止日"), default=25, validators=[MinValueValidator(1), MaxValueValidator(28)])

    class Meta:
        verbose_name = _("党费设置")
        verbose_name_plural = _("党费设置")

    def __str__(self) -> str:
        return "dues settings"


class DuesProfile(models.Model):
    member = models.OneToOneField(Member, verbose_name=_("党员"), on_delete=models.CASCADE,
                                  primary_key=True, related_name="dues_profile")
    category = models.CharField(_("类别"), max_length=20, choices=DuesCategory.choices,
                                default=DuesCategory.EMPLOYED)
    monthly_wage = models.DecimalField(_("税后月工资"), max_digits=10, decimal_places=2,
                                       null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("党费档案")
        verbose_name_plural = _("党费档案")

    def __str__(self) -> str:
        return f"{self.member_id} {self.category}"


class DuesPayment(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="dues_payments")
    month = models.DateField(_("月份"))  # first day of the month paid for
    amount = models.DecimalField(_("金额"), max_digits=10, decimal_places=2)
    paid_at = models.DateTimeField(_("交纳时间"))
    on_time = models.BooleanField(_("按时交纳"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("党费缴纳记录")
        verbose_name_plural = _("党费缴纳记录")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["member", "month"],
                                               name="life_dues_once_a_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} ¥{self.amount}"
