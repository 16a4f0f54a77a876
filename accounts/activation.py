"""Bringing imported members in: the admin issues one-time activation codes (e-mailed, texted
or printed with a QR code); the member opens the link or types the code, confirms their
mobile number with an SMS code, sets a password and is signed in.

"Active" means is_active and a usable password. Codes are kept as keyed hashes bound to this
schema (accounts.codes.code_digest): a code of one company is nothing on another's site.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.codes import (
    AccountRefused,
    code_digest,
    sms_code_send,
    sms_code_use,
    sms_code_verify,
    sms_send_later,
)
from accounts.limits import limit_hit, limit_reached
from accounts.models import ActivationChannel, ActivationCode, AuditAction, CodePurpose, User
from accounts.passwords import password_check
from accounts.services import audit_record
from accounts.sms import Sms, SmsKind
from core import emails

# No 0/O, 1/I/L: a code read off paper is typed without guessing. 10 of 31 letters ≈ 50 bits.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
OPEN_FAILURES_PER_IP = "20/h"


@dataclass
class Issued:
    codes: list[tuple[User, str]] = field(default_factory=list)  # (member, the plain code)
    skipped: list[User] = field(default_factory=list)  # no e-mail address, or already active


def activation_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def activation_code_normal(code: str) -> str:
    """What people type: lower case, spaces, dashes → the code itself."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def activation_code_display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def activation_url(site: str, code: str) -> str:
    return f"{site}activate/{code}/"


def user_is_active(user: User) -> bool:
    return user.is_active and user.has_usable_password()


@transaction.atomic
def activation_issue(*, users: list[User], channel: str, by: User, site: str) -> Issued:
    """New codes for those of `users` not yet active (their older codes stop working), sent
    after commit by e-mail or SMS, or returned for printing. `site` is the company's own
    address (https://slug.example.cn/), for the links."""
    issued = Issued()
    now = timezone.now()
    wanted = [user for user in users if not user_is_active(user) and user.is_active
              and (channel != ActivationChannel.EMAIL or user.email)
              and (channel != ActivationChannel.SMS or user.mobile)]
    issued.skipped = [user for user in users if user not in wanted]
    ActivationCode.objects.filter(user__in=wanted, used_at__isnull=True,
                                  revoked_at__isnull=True).update(revoked_at=now)
    rows = []
    for user in wanted:
        code = activation_code_new()
        issued.codes.append((user, code))
        rows.append(ActivationCode(
            user=user, digest=code_digest("activation", code), channel=channel, created_at=now,
            created_by=by,
            expires_at=now + datetime.timedelta(seconds=settings.ACTIVATION_MAX_AGE)))
    ActivationCode.objects.bulk_create(rows)
    for user, _code in issued.codes:
        audit_record(actor=by, target=user, action=AuditAction.ACTIVATION_SENT,
                     detail=ActivationChannel(channel).label)
    for user, code in issued.codes:
        if channel == ActivationChannel.EMAIL:
            _email(user, code, site)
        elif channel == ActivationChannel.SMS:
            _sms(user, code, site)
    return issued


def _email(user: User, code: str, site: str) -> None:
    from tenants.selectors import current_company

    emails.send_later(to=user.email, template="member_activation", context={
        "full_name": user.get_full_name(), "company": current_company(), "site": site,
        "link": activation_url(site, code), "code": activation_code_display(code),
        "days": settings.ACTIVATION_MAX_AGE // 86400,
    })


def _sms(user: User, code: str, site: str) -> None:
    url = activation_url(site, code)
    with translation.override("zh-hans"):
        text = _("%(name)s，您好：请打开 %(url)s 激活党建站点账号"
                 "（%(days)s 天内有效，仅可使用一次）。") % {
            "name": user.get_full_name(), "url": url,
            "days": settings.ACTIVATION_MAX_AGE // 86400}
    sms_send_later(Sms(mobile=user.mobile, kind=SmsKind.INVITE,
                       params={"name": user.get_full_name(), "url": url}, text=text))


def activation_open(*, code: str, ip: str) -> ActivationCode:
    """The live activation for a code typed, scanned or clicked; AccountRefused otherwise.
    Wrong codes are counted per IP address (guessing is stopped long before it could work)."""
    if limit_reached(group="activation-fail-ip", value=ip, rate=OPEN_FAILURES_PER_IP):
        raise AccountRefused(_("激活码错误次数过多，请一小时后再试。"),
                             code="activation_attempts_exceeded")
    code = activation_code_normal(code)
    activation = (ActivationCode.objects.select_related("user")
                  .filter(digest=code_digest("activation", code)).first()
                  if len(code) == CODE_LENGTH else None)
    try:
        return activation_check(activation)
    except AccountRefused:
        limit_hit(group="activation-fail-ip", value=ip, rate=OPEN_FAILURES_PER_IP)
        raise


def activation_check(activation: ActivationCode | None) -> ActivationCode:
    if activation is None:
        raise AccountRefused(_("激活码无效，请核对后重新输入。"), code="activation_code_invalid")
    if activation.used_at is not None or user_is_active(activation.user):
        raise AccountRefused(_("账号已经激活，请直接登录。"), code="account_already_active")
    if not activation.user.is_active:
        raise AccountRefused(_("该账号已停用，请联系管理员。"), code="account_inactive")
    if activation.revoked_at is not None:
        raise AccountRefused(_("这个激活码已作废（已发放了新的激活码），请使用最新的激活码。"),
                             code="activation_code_replaced")
    if activation.expires_at <= timezone.now():
        raise AccountRefused(_("激活码已过期，请联系管理员重新发放。"),
                             code="activation_code_expired")
    return activation


def activation_get(*, activation_id: int) -> ActivationCode:
    """An activation opened earlier in this session, checked again (it may have been used,
    revoked or expired since)."""
    return activation_check(ActivationCode.objects.select_related("user")
                            .filter(pk=activation_id).first())


def activation_sms_send(*, activation: ActivationCode, ip: str) -> None:
    """Texts a code to the member's number on record, to prove the phone is theirs."""
    if not activation.user.mobile:
        raise AccountRefused(_("账号没有登记手机号，请联系管理员。"), code="account_without_mobile")
    sms_code_send(mobile=activation.user.mobile, purpose=CodePurpose.ACTIVATE, ip=ip)


def member_activate(*, activation_id: int, sms_code: str, password: str, ip: str) -> User:
    """Sets the member's first password once their SMS code is right. Raises AccountRefused,
    or PasswordRefused when the password is too weak (the codes stay usable then)."""
    activation = activation_get(activation_id=activation_id)
    user = activation.user
    checked = sms_code_verify(mobile=user.mobile, purpose=CodePurpose.ACTIVATE, code=sms_code,
                              ip=ip)
    password_check(password=password, user=user)
    with transaction.atomic():
        activation = ActivationCode.objects.select_for_update().get(pk=activation.pk)
        activation_check(activation)  # a second tab, at the same moment
        sms_code_use(sms_code=checked)
        user.set_password(password)
        user.save(update_fields=["password"])
        activation_close(user=user)
        audit_record(actor=user, target=user, action=AuditAction.ACTIVATED)
    return user


def activation_close(*, user: User) -> None:
    """The member is in: every code still open for them is finished."""
    now = timezone.now()
    ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True
                                  ).update(used_at=now)
