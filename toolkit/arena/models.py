"""任务擂台: the committee or a branch publishes tasks; members claim, submit, get reviewed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member, OrgUnit


class TaskStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Task(models.Model):
    title = models.CharField(_("任务"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    publisher = models.ForeignKey(OrgUnit, verbose_name=_("发布组织"), on_delete=models.PROTECT,
                                  related_name="tasks")
    points = models.PositiveIntegerField(_("积分"))
    deadline = models.DateTimeField(_("截止时间"))
    places = models.PositiveIntegerField(_("名额"), default=1)
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("擂台任务")
        verbose_name_plural = _("擂台任务")
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.title


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("已认领")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已通过")
    WITHDRAWN = "withdrawn", _("已放弃")


# A claim in these states holds one of the task's places.
HOLDING_PLACE = [ClaimStatus.CLAIMED, ClaimStatus.SUBMITTED, ClaimStatus.RETURNED,
                 ClaimStatus.ACCEPTED]


class Claim(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE,
                             related_name="claims")
    member = models.ForeignKey(Member, verbose_name=_("认领人"), on_delete=models.PROTECT,
                               related_name="claims")
    status = models.CharField(_("状态"), max_length=10, choices=ClaimStatus.choices,
                              default=ClaimStatus.CLAIMED)
    evidence_text = models.TextField(_("完成情况"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("认领时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务认领")
        verbose_name_plural = _("任务认领")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["task", "member"],
                                               name="arena_claim_once")]

    def __str__(self) -> str:
        return f"{self.task} · {self.member}"


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, verbose_name=_("认领记录"), on_delete=models.CASCADE,
                              related_name="files")
    file = models.FileField(_("文件"), upload_to="arena/evidence/%Y/%m/")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件格式"), max_length=100)
    size = models.PositiveIntegerField(_("文件大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务佐证材料")
        verbose_name_plural = _("任务佐证材料")

    def __str__(self) -> str:
        return self.name
