"""Who a person is on a site. Every app's pages check it (staff pages in public, admin pages on
a company's site), so it lives below them all; `accounts.User.role` stores it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("孵化器工作人员")
    TRAINER = "trainer", _("中心培训师")
    COMPANY_ADMIN = "company_admin", _("公司管理员")
    MEMBER = "member", _("党员")
