"""Text messages, through a backend named in settings.SMS_BACKEND (like EMAIL_BACKEND).

A backend has one method, `send(message: Sms) -> str` (the provider's id for the message),
and raises one of the SmsError kinds below when the message cannot go out. Messages are sent
by a Celery task after commit (accounts.tasks.sms_send_task), in the company's schema.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class SmsKind(models.TextChoices):
    """Which approved provider template a message uses (their params differ)."""

    CODE = "code", _("验证码")  # params: code
    INVITE = "invite", _("激活邀请")  # params: name, url
    REMINDER = "reminder", _("学习提醒")  # params: name, course, due


@dataclass
class Sms:
    mobile: str
    kind: str
    params: dict = field(default_factory=dict)
    text: str = ""  # the whole message in Chinese, for backends that send free text


class SmsError(Exception):
    """The message did not go out; str() is a translated reason for people."""


class SmsRejected(SmsError):
    """The provider refused this message (number, template, signature): retrying won't help."""


class SmsThrottled(SmsError):
    """The provider's own flow control refused it (too many to this number or account)."""


class SmsUnavailable(SmsError):
    """The provider could not be reached or failed: worth trying again later."""


def sms_backend():
    return import_string(settings.SMS_BACKEND)()


def sms_deliver(message: Sms) -> str:
    return sms_backend().send(message)
