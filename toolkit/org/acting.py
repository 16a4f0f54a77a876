"""今天我来当书记: the month a member acts as secretary of a unit. Kept in the organisation
because it grants rights, and the organisation's rule (selectors.managed_unit_ids) is the
one every page asks. Applications, approval and the duty log live in toolkit.acting."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActingSecretary(models.Model):
    """One member acts for one unit for one calendar month (Asia/Shanghai), `month` its first
    day. One per unit per month, and a member acts for one unit a month: the database says so."""

    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("党组织"), on_delete=models.PROTECT,
                             related_name="acting_secretaries")
    member = models.ForeignKey("org.Member", verbose_name=_("代理书记"),
                               on_delete=models.PROTECT, related_name="acting_months")
    month = models.DateField(_("月份"))
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("任命人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    appointed_at = models.DateTimeField(_("任命时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("代理书记")
        verbose_name_plural = _("代理书记")
        ordering = ["month", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="org_acting_one_per_unit"),
            models.UniqueConstraint(fields=["member", "month"],
                                    name="org_acting_one_unit_per_member"),
            models.CheckConstraint(condition=models.Q(month__day=1),
                                   name="org_acting_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} {self.member}"
