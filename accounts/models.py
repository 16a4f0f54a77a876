"""Users live per schema: incubator staff and trainers in public, admins and members in
their own company's schema. The same table exists in both, so a login on one host can never
match an account of another."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.names import name_sort_key
from core.roles import Role


class User(AbstractUser):
    # Chinese names are written whole (surname first); first/last name do not fit them.
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    name_sort = models.CharField(_("姓名排序键"), max_length=400, blank=True,
                                 editable=False)  # accounts.names
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    # Set when an admin gives a temporary password: every page leads to the change page until
    # the user picks their own (accounts.middleware).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

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

    def save(self, *args, **kwargs):
        self.name_sort = name_sort_key(self.full_name)
        fields = kwargs.get("update_fields")
        if fields is not None and "full_name" in fields:
            kwargs["update_fields"] = {*fields, "name_sort"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    # Templates ask these instead of comparing `role` to a string: a renamed role then breaks
    # here, once, not silently in a page.
    @property
    def is_company_admin(self) -> bool:
        return self.role == Role.COMPANY_ADMIN

    @property
    def is_incubator_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_trainer(self) -> bool:
        return self.role == Role.TRAINER

    @property
    def is_party_member(self) -> bool:
        return self.role == Role.MEMBER


class CodePurpose(models.TextChoices):
    """What a one-time SMS code proves: a code sent for one purpose is nothing for another."""

    ACTIVATE = "activate", _("激活账号")
    RESET = "reset", _("找回密码")
    CHANGE_MOBILE = "change_mobile", _("更换手机号")


class SmsCode(models.Model):
    """A one-time code sent by SMS. Only its keyed hash is kept (accounts.codes.code_digest):
    a copy of the database gives nobody a code that works."""

    mobile = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=20, choices=CodePurpose.choices)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)  # wrong guesses so far
    used_at = models.DateTimeField(null=True, blank=True)  # used, or replaced by a newer code

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"],
                                name="accounts_smscode_lookup")]

    def __str__(self) -> str:
        return f"{self.mobile} {self.purpose}"


class ActivationChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    PRINT = "print", _("打印激活码")


class ActivationCode(models.Model):
    """A one-time activation code (in a link, a QR code or typed by hand) for a member who
    has no password yet. Kept as a keyed hash of the code and this schema's name; issuing a
    new one revokes the older ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    digest = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("方式"), max_length=10, choices=ActivationChannel.choices)
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("激活码")
        verbose_name_plural = _("激活码")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.channel}"


class AuditAction(models.TextChoices):
    MEMBER_EDITED = "member_edited", _("修改资料")
    PASSWORD_RESET = "password_reset", _("重置密码")
    PASSWORD_RESET_BY_SMS = "password_reset_by_sms", _("短信找回密码")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    DEACTIVATED = "deactivated", _("停用账号")
    REACTIVATED = "reactivated", _("恢复账号")
    ACTIVATION_SENT = "activation_sent", _("发送激活邀请")
    ACTIVATED = "activated", _("激活账号")
    MOBILE_CHANGED = "mobile_changed", _("更换手机号")


class AuditEntry(models.Model):
    """Who did what to whose account, when: append-only (no page edits or deletes a row).
    Written only through accounts.services.audit_record()."""

    # No `choices=` on purpose: a new AuditAction (another module's) then needs no migration.
    action = models.CharField(_("操作"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("对象"),
                               on_delete=models.PROTECT, related_name="audit_entries")
    detail = models.CharField(_("详情"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("账号操作记录")
        verbose_name_plural = _("账号操作记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor} → {self.target}: {self.action}"

    def get_action_display(self) -> str:
        try:
            return AuditAction(self.action).label
        except ValueError:
            return self.action
