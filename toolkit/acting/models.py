"""今天我来当书记: members apply for a month as acting secretary, the committee office decides,
and the acting secretary keeps a duty log that scores. The appointment itself, which grants
the rights, is the organisation's (toolkit.org.acting.ActingSecretary)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import ActingSecretary, Member, OrgUnit


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class ActingApplication(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("申请人"), on_delete=models.CASCADE,
                               related_name="acting_applications")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("党组织"), on_delete=models.CASCADE,
                             related_name="+")
    month = models.DateField(_("月份"))
    note = models.CharField(_("申请说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("书记轮值申请")
        verbose_name_plural = _("书记轮值申请")
        ordering = ["month", "created_at"]
        constraints = [models.UniqueConstraint(
            fields=["member", "unit", "month"], condition=models.Q(status="pending"),
            name="acting_one_pending_application")]

    def __str__(self) -> str:
        return f"{self.member} {self.unit} {self.month:%Y-%m}"


class DutyKind(models.TextChoices):
    MEETING = "meeting", _("主持会议")
    TASK = "task", _("发布任务")
    NOTE = "note", _("工作记录")


class DutyLogEntry(models.Model):
    appointment = models.ForeignKey(ActingSecretary, verbose_name=_("代理书记"),
                                    on_delete=models.PROTECT, related_name="duty_log")
    kind = models.CharField(_("类型"), max_length=20, choices=DutyKind.choices)
    text = models.CharField(_("内容"), max_length=500)
    # What the hub awarded (0 once a cap is reached)
    points = models.IntegerField(_("获得积分"), default=0)
    created_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("轮值工作日志")
        verbose_name_plural = _("轮值工作日志")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:20]}"
