"""What a member does alone: reset a forgotten password, change their mobile number. Both
are proved by a one-time SMS code (accounts.codes)."""

import re

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.activation import activation_close
from accounts.codes import (
    AccountRefused,
    sms_code_send,
    sms_code_use,
    sms_code_verify,
    sms_send_allowed,
)
from accounts.limits import limit_hit, limit_reached
from accounts.models import AuditAction, CodePurpose, User
from accounts.passwords import password_check
from accounts.services import audit_record
from core.validators import MOBILE_RE


def mobile_normal(mobile: str) -> str:
    mobile = re.sub(r"[\s-]", "", mobile or "")
    if not MOBILE_RE.match(mobile):
        raise AccountRefused(_("请输入 11 位中国大陆手机号，例如 13912345678。"),
                             code="mobile_invalid")
    return mobile


# Wrong current passwords before a mobile change, per account.
PASSWORD_FAILURES_PER_USER = "5/h"


class WrongPassword(AccountRefused):
    """The current password, asked again before a sensitive change, was wrong."""


def reset_candidate(mobile: str) -> User | None:
    """Who may reset by this number: any account still allowed in (is_active), with or without
    a password yet — a member who lost their activation code gets in this way too."""
    return User.objects.filter(mobile=mobile, is_active=True).first()


def password_reset_request(*, mobile: str, ip: str) -> str:
    """Texts a code if the number belongs to someone who may reset. The answer is the same
    either way (the limits count both), so the page never tells whether a number is known."""
    mobile = mobile_normal(mobile)
    if reset_candidate(mobile) is None:
        sms_send_allowed(mobile=mobile, ip=ip)
    else:
        sms_code_send(mobile=mobile, purpose=CodePurpose.RESET, ip=ip)
    return mobile


def password_reset(*, mobile: str, sms_code: str, password: str, ip: str) -> User:
    """Sets a new password once the SMS code is right (PasswordRefused if it is weak)."""
    mobile = mobile_normal(mobile)
    checked = sms_code_verify(mobile=mobile, purpose=CodePurpose.RESET, code=sms_code, ip=ip)
    user = reset_candidate(mobile)
    if user is None:  # stopped or renumbered since the code was sent
        raise AccountRefused(_("验证码错误或已失效，请重新获取。"), code="sms_code_wrong")
    password_check(password=password, user=user)
    with transaction.atomic():
        sms_code_use(sms_code=checked)
        user.set_password(password)
        user.must_change_password = False  # they chose this one themselves
        user.save(update_fields=["password", "must_change_password"])
        activation_close(user=user)  # an old activation code must not reset it again
        audit_record(actor=user, target=user, action=AuditAction.PASSWORD_RESET_BY_SMS)
    return user


def _taken(mobile: str, user: User) -> bool:
    return User.objects.filter(Q(mobile=mobile) | Q(username=mobile)).exclude(pk=user.pk).exists()


def mobile_change_request(*, user: User, mobile: str, password: str, ip: str) -> str:
    """Texts a code to the NEW number: only its holder can finish the change. The current
    password comes first: a phone left signed in, or a stolen session, must not be enough to
    move the account (and its login name) to someone else's number."""
    if limit_reached(group="mobile-change-password", value=str(user.pk),
                     rate=PASSWORD_FAILURES_PER_USER):
        raise WrongPassword(_("密码错误次数过多，请一小时后再试。"),
                            code="current_password_attempts_exceeded")
    if not user.check_password(password):
        limit_hit(group="mobile-change-password", value=str(user.pk),
                  rate=PASSWORD_FAILURES_PER_USER)
        raise WrongPassword(_("当前密码不正确。"), code="current_password_wrong")
    mobile = mobile_normal(mobile)
    if mobile == user.mobile:
        raise AccountRefused(_("这就是您现在的手机号。"), code="mobile_unchanged")
    if _taken(mobile, user):
        raise AccountRefused(_("该手机号已被本单位的其他账号使用。"), code="mobile_taken")
    sms_code_send(mobile=mobile, purpose=CodePurpose.CHANGE_MOBILE, ip=ip)
    return mobile


def mobile_change(*, user: User, mobile: str, sms_code: str, ip: str) -> User:
    """Moves the account to the new number; a login name that was the old number follows it
    (members sign in with their number)."""
    mobile = mobile_normal(mobile)
    checked = sms_code_verify(mobile=mobile, purpose=CodePurpose.CHANGE_MOBILE, code=sms_code,
                              ip=ip)
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            if _taken(mobile, user):
                raise AccountRefused(_("该手机号已被本单位的其他账号使用。"), code="mobile_taken")
            sms_code_use(sms_code=checked)
            if user.username == user.mobile:
                user.username = mobile
            old = user.mobile
            user.mobile = mobile
            user.save(update_fields=["mobile", "username"])
            audit_record(actor=user, target=user, action=AuditAction.MOBILE_CHANGED,
                         detail=f"{old or '—'} → {mobile}")
    except IntegrityError as error:  # taken by someone at the same moment
        raise AccountRefused(_("该手机号已被本单位的其他账号使用。"),
                             code="mobile_taken") from error
    return user
