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

    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.FULL)
    status = models.CharField(max_length=10, choices=RenderStatus.choices,
                              default=RenderStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    data_timestamp = models.DateTimeField(null=True, blank=True)
    data_sha256 = models.CharField(max_length=64, blank=True)  # of the sections' HTML
    content_sha256 = models.CharField(max_length=64, blank=True)  # of the PDF
    pages = models.PositiveIntegerField(default=0)
    sections_rendered = models.PositiveSmallIntegerField(default=0)  # not from the cache
    # The company's own storage: files land under MEDIA_ROOT/<schema>/.
    file = models.FileField(upload_to="handbooks/", blank=True)
    # Shown on the cover; given by the incubator when it issues the toolkit, kept by re-renders.
    batch_name = models.CharField(max_length=100, blank=True)
    issuer = models.CharField(max_length=100, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    issued = models.BooleanField(default=False)  # asked for by the incubator (发放)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

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
    render = models.ForeignKey(HandbookRender, on_delete=models.CASCADE,
                               related_name="downloads")
    # None: downloaded by incubator staff from the public site (their user lives in public).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    by_staff = models.CharField(max_length=100, blank=True)  # the staff member's name
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.render_id} @ {self.at:%Y-%m-%d %H:%M}"
