"""The toolkit handbook (党建工具包手册): each render is a version kept with its file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.TextChoices):
    FULL = "full", _("完整版")  # everything: the admin's and the incubator's copy
    MEMBER = "member", _("党员版")  # rules, calendar and forms: what every member may read


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class HandbookRender(models.Model):
    """One version of the handbook. `data_timestamp` is when the data it shows was first seen
    (the cover's date), so rendering unchanged data again gives the same file and hash."""

    edition = models.CharField(_("版本类别"), max_length=10, choices=Edition.choices,
                               default=Edition.FULL)
    status = models.CharField(_("状态"), max_length=10, choices=RenderStatus.choices,
                              default=RenderStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)  # percent
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    data_timestamp = models.DateTimeField(_("数据时间"), null=True, blank=True)
    # Of the sections' HTML
    data_sha256 = models.CharField(_("数据摘要（SHA-256）"), max_length=64, blank=True)
    # Of the PDF
    content_sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("页数"), default=0)
    # Not from the cache
    sections_rendered = models.PositiveSmallIntegerField(_("重新生成的章节数"), default=0)
    # The company's own storage: files land under MEDIA_ROOT/<schema>/.
    file = models.FileField(_("文件"), upload_to="handbooks/", blank=True)
    # Shown on the cover; given by the incubator when it issues the toolkit, kept by re-renders.
    batch_name = models.CharField(_("批次名称"), max_length=100, blank=True)
    issuer = models.CharField(_("发放单位"), max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    # Asked for by the incubator (发放)
    issued = models.BooleanField(_("孵化器发放"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工具包手册版本")
        verbose_name_plural = _("工具包手册版本")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.edition} #{self.pk} {self.status}"

    @property
    def running(self) -> bool:
        return self.status in (RenderStatus.QUEUED, RenderStatus.RENDERING)


class HandbookDownload(models.Model):
    render = models.ForeignKey(HandbookRender, verbose_name=_("手册版本"), on_delete=models.CASCADE,
                               related_name="downloads")
    # None: downloaded by incubator staff from the public site (their user lives in public).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下载人"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    # The staff member's name
    by_staff = models.CharField(_("孵化器工作人员"), max_length=100, blank=True)
    at = models.DateTimeField(_("下载时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("手册下载记录")
        verbose_name_plural = _("手册下载记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.render_id} @ {self.at:%Y-%m-%d %H:%M}"
