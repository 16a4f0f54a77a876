"""Deployment checks (`manage.py check --deploy`) for getting in."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

CONSOLE_SMS = "accounts.sms.console.SmsBackend"


@register(Tags.security, deploy=True)
def sms_backend_check(app_configs, **kwargs):
    # The console backend prints every one-time code and writes it under DATA_DIR: right for
    # `make run`, a leak anywhere real members get codes.
    if settings.SMS_BACKEND == CONSOLE_SMS:
        return [Warning(
            "SMS_BACKEND is the console backend: one-time codes are printed and written to "
            "DATA_DIR/sms instead of being texted.",
            hint="Set SMS_BACKEND=accounts.sms.aliyun.SmsBackend and the SMS_ALIYUN_* settings.",
            id="accounts.W001")]
    return []
