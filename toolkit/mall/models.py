"""积分商城: rewards bought with points by the month's top members."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import Member
from toolkit.points.models import LedgerEntry


class Reward(models.Model):
    name = models.CharField(_("奖品"), max_length=100)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    cost = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))  # PositiveInteger: never below zero in SQL
    active = models.BooleanField(_("上架"), default=True)

    class Meta:
        verbose_name = _("奖品")
        verbose_name_plural = _("奖品")
        ordering = ["cost", "id"]

    def __str__(self) -> str:
        return self.name


class Redemption(models.Model):
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT,
                               related_name="redemptions")
    reward = models.ForeignKey(Reward, verbose_name=_("奖品"), on_delete=models.PROTECT,
                               related_name="redemptions")
    month = models.DateField(_("月份"))  # the month redeemed in: once per member
    ledger_entry = models.OneToOneField(LedgerEntry, verbose_name=_("积分流水"),
                                        on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("兑换时间"), auto_now_add=True)
    fulfilled_at = models.DateTimeField(_("发放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("兑换记录")
        verbose_name_plural = _("兑换记录")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["member", "month"],
                                               name="mall_once_a_month")]

    def __str__(self) -> str:
        return f"{self.member} · {self.reward}"
