"""The company's side of onboarding, in its own schema."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A one-time link for the company admin to set a password. The link carries a signed,
    timestamped id; this row makes it single-use."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="invitations")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("导入失败")


class MemberImport(models.Model):
    """One uploaded roster: checked on upload (rows and errors kept), imported on confirm."""

    file_name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField(max_length=20, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    total_rows = models.PositiveIntegerField(default=0)
    good_rows = models.JSONField(default=list)  # validated, ready to write
    errors = models.JSONField(default=list)  # [{"row": n, "message": "..."}]
    progress = models.PositiveSmallIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was confirmed or last sent to a worker: an import still importing long after
    # was lost (a worker killed, a broker down) and the sweep sends it again.
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
