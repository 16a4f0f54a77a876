"""One-time SMS codes, shared by activation, the forgotten password and the mobile change.

A code is six digits, works for SMS_CODE_MAX_AGE seconds, once, for one purpose and number;
after SMS_CODE_MAX_ATTEMPTS wrong guesses it is dead. Only a keyed hash is stored. Sending is
limited per number and per IP address, wrong guesses per number and per IP address (per
company: the cache keys carry the schema name).
"""

import datetime
import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.limits import limit_hit, limit_reached
from accounts.models import SmsCode
from accounts.sms import Sms, SmsKind
from core.errors import Refused
from core.tasks import task_send


class AccountRefused(Refused):
    """Why a code, a link or a change is refused; the message is shown on the page."""


def code_digest(*parts: str) -> str:
    """A keyed hash (HMAC with SECRET_KEY) of a code and what it is bound to, always including
    the schema name: the same code typed on another company's site hashes to something else."""
    value = ":".join([connection.schema_name, *parts])
    return salted_hmac("accounts.codes", value, algorithm="sha256").hexdigest()


def sms_send_allowed(*, mobile: str, ip: str) -> None:
    """Counts a send against the number's and the address's limits; refuses when over."""
    if limit_hit(group="sms-send-ip", value=ip, rate=settings.SMS_RATE_PER_IP):
        raise AccountRefused(_("此网络发送验证码过于频繁，请一小时后再试。"),
                             code="sms_ip_rate_limited")
    if limit_hit(group="sms-send-mobile", value=mobile, rate=settings.SMS_RATE_PER_MOBILE):
        raise AccountRefused(_("获取太频繁，请等一分钟后再重新获取验证码。"), code="sms_too_soon")
    if limit_hit(group="sms-send-mobile-hour", value=mobile,
                 rate=settings.SMS_RATE_PER_MOBILE_HOUR):
        raise AccountRefused(_("此手机号获取验证码过于频繁，请一小时后再试。"),
                             code="sms_mobile_rate_limited")


@transaction.atomic
def sms_code_send(*, mobile: str, purpose: str, ip: str) -> SmsCode:
    """Makes a new code (older unused ones for the same number and purpose stop working) and
    texts it after commit."""
    sms_send_allowed(mobile=mobile, ip=ip)
    now = timezone.now()
    SmsCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).update(
        used_at=now)
    code = f"{secrets.randbelow(10 ** 6):06d}"
    row = SmsCode.objects.create(
        mobile=mobile, purpose=purpose, digest=code_digest("sms", mobile, purpose, code),
        created_at=now, expires_at=now + datetime.timedelta(seconds=settings.SMS_CODE_MAX_AGE))
    minutes = settings.SMS_CODE_MAX_AGE // 60
    with translation.override("zh-hans"):
        text = _("【%(site)s】验证码 %(code)s，%(minutes)s 分钟内有效，仅用于%(purpose)s。"
                 "请勿告诉他人。") % {"site": _site_name(), "code": code, "minutes": minutes,
                                    "purpose": SmsCode(purpose=purpose).get_purpose_display()}
    sms_send_later(Sms(mobile=mobile, kind=SmsKind.CODE, params={"code": code}, text=text))
    return row


def sms_send_later(message: Sms) -> None:
    transaction.on_commit(lambda: task_send("accounts.tasks.sms_send_task", message.mobile,
                                            message.kind, message.params, message.text))


def _site_name() -> str:
    from tenants.selectors import current_company

    return current_company().name


def sms_code_verify(*, mobile: str, purpose: str, code: str, ip: str) -> SmsCode:
    """The live code for `mobile` and `purpose` if `code` is it; AccountRefused otherwise.
    Does not use the code up (see sms_code_use): a password the validators refuse can be
    fixed and sent again with the same code.

    Not one transaction on purpose: a wrong guess is counted in its own short transaction so
    that the refusal raised afterwards cannot roll the count back."""
    if (limit_reached(group="code-fail-ip", value=ip, rate=settings.CODE_FAILURES_PER_IP)
            or limit_reached(group="code-fail-mobile", value=mobile,
                             rate=settings.CODE_FAILURES_PER_MOBILE)):
        raise AccountRefused(_("验证码错误次数过多，请一小时后再试。"),
                             code="sms_attempts_exceeded")
    code = "".join(ch for ch in code or "" if ch.isdigit())
    with transaction.atomic():
        row = (SmsCode.objects.select_for_update()
               .filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
               .order_by("-created_at", "-id").first())
        if row is None:
            refusal = AccountRefused(_("验证码错误或已失效，请重新获取。"), code="sms_code_wrong")
        elif row.expires_at <= timezone.now():
            refusal = AccountRefused(_("验证码已过期，请重新获取。"), code="sms_code_expired")
        elif row.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            refusal = AccountRefused(_("验证码错误次数过多，请重新获取。"),
                                     code="sms_attempts_exceeded")
        elif constant_time_compare(row.digest, code_digest("sms", mobile, purpose, code)):
            return row
        else:
            row.attempts += 1
            row.save(update_fields=["attempts"])
            refusal = AccountRefused(_("验证码不正确。"), code="sms_code_wrong")
    limit_hit(group="code-fail-ip", value=ip, rate=settings.CODE_FAILURES_PER_IP)
    limit_hit(group="code-fail-mobile", value=mobile, rate=settings.CODE_FAILURES_PER_MOBILE)
    raise refusal


def sms_code_use(*, sms_code: SmsCode) -> None:
    """Uses the code up, inside the caller's transaction; refuses a code used meanwhile (the
    same code sent twice at once)."""
    used = SmsCode.objects.filter(pk=sms_code.pk, used_at__isnull=True).update(
        used_at=timezone.now())
    if not used:
        raise AccountRefused(_("验证码已经用过了，请重新获取。"), code="sms_code_used")
