"""Display tokens: the read-only key an office screen opens the big screen with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisplayToken(models.Model):
    """Only the SHA-256 of the token is kept: the token itself is shown once, when made. The
    table is in the company's schema, so a token of A is nothing on B."""

    name = models.CharField(_("名称"), max_length=60)
    digest = models.CharField(max_length=64, unique=True)
    # The token's first characters, to tell them apart
    hint = models.CharField(_("令牌前缀"), max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("大屏令牌")
        verbose_name_plural = _("大屏令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
