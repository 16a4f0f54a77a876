"""Users live per schema: incubator staff and trainers in public, admins and members in
their own company's schema. The same table exists in both, so a login on one host can never
match an account of another."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("孵化器工作人员")
    TRAINER = "trainer", _("中心培训师")
    COMPANY_ADMIN = "company_admin", _("公司管理员")
    MEMBER = "member", _("党员")


class User(AbstractUser):
    # Chinese names are written whole (surname first); first/last name do not fit them.
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # One person per mobile number within a schema (imports match people by it).
            models.UniqueConstraint(fields=["mobile"], condition=~models.Q(mobile=""),
                                    name="accounts_user_mobile_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username
