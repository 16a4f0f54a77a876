"""Aliyun SMS (短信服务, dysmsapi 2017-05-25, SendSms) over plain HTTPS.

The RPC "signature version 1.0" is a dozen lines (HMAC-SHA1 over the sorted, percent-encoded
parameters), so no SDK is pulled in: the official one brings its own HTTP stack and a
dozen packages. Templates must be approved by Aliyun in advance: SMS_ALIYUN_TEMPLATE_CODE
(a verification-code template with ${code}) and SMS_ALIYUN_TEMPLATE_INVITE (a notice with
${name} and ${url}).
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from accounts.sms import Sms, SmsKind, SmsRejected, SmsThrottled, SmsUnavailable

logger = logging.getLogger("accounts.sms")

THROTTLED = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "Throttling",
             "Throttling.User", "Throttling.Api"}
BAD_NUMBER = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT",
              "isv.BLACK_KEY_CONTROL_LIMIT"}
NO_CREDIT = {"isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE", "isv.ACCOUNT_ABNORMAL"}


def percent_encode(value: str) -> str:
    """RFC 3986: only A–Z a–z 0–9 - _ . ~ stay as they are; a space is %20, not +."""
    return quote(str(value), safe="~")


def canonical_query(params: dict) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}"
                    for k, v in sorted(params.items()) if k != "Signature")


def signature(params: dict, secret: str, method: str = "POST") -> str:
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class SmsBackend:
    def __init__(self):
        if not (settings.SMS_ALIYUN_ACCESS_KEY_ID and settings.SMS_ALIYUN_ACCESS_KEY_SECRET
                and settings.SMS_ALIYUN_SIGN_NAME):
            raise ImproperlyConfigured("Aliyun SMS needs SMS_ALIYUN_ACCESS_KEY_ID, "
                                       "SMS_ALIYUN_ACCESS_KEY_SECRET and SMS_ALIYUN_SIGN_NAME")
        self.templates = {SmsKind.CODE: settings.SMS_ALIYUN_TEMPLATE_CODE,
                          SmsKind.INVITE: settings.SMS_ALIYUN_TEMPLATE_INVITE,
                          SmsKind.REMINDER: settings.SMS_ALIYUN_TEMPLATE_REMINDER}

    def send(self, message: Sms) -> str:
        template = self.templates.get(message.kind)
        if not template:
            raise ImproperlyConfigured(f"no Aliyun SMS template for {message.kind!r}")
        params = self.signed({
            "Action": "SendSms", "Version": "2017-05-25", "RegionId": "cn-hangzhou",
            "PhoneNumbers": message.mobile, "SignName": settings.SMS_ALIYUN_SIGN_NAME,
            "TemplateCode": template,
            "TemplateParam": json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
        })
        answer = self.post(params)
        code = answer.get("Code", "")
        if code == "OK":
            return answer.get("BizId", "")
        self.refuse(code, answer.get("Message", ""))

    def signed(self, params: dict) -> dict:
        params = dict(params, Format="JSON", AccessKeyId=settings.SMS_ALIYUN_ACCESS_KEY_ID,
                      SignatureMethod="HMAC-SHA1", SignatureVersion="1.0",
                      SignatureNonce=uuid.uuid4().hex,
                      Timestamp=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        params["Signature"] = signature(params, settings.SMS_ALIYUN_ACCESS_KEY_SECRET)
        return params

    def post(self, params: dict) -> dict:
        body = (canonical_query(params) + "&Signature=" + percent_encode(params["Signature"]))
        request = urllib.request.Request(
            settings.SMS_ALIYUN_ENDPOINT, data=body.encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_ALIYUN_TIMEOUT) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:  # 4xx/5xx still carry Aliyun's JSON answer
            raw = error.read()
            if error.code >= 500:
                logger.warning("Aliyun SMS answered %s: %s", error.code, raw[:500])
                raise SmsUnavailable(_("短信服务暂时不可用，请稍后再试。")) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            logger.warning("Aliyun SMS unreachable: %s", error)
            raise SmsUnavailable(_("短信服务暂时不可用，请稍后再试。")) from error
        try:
            return json.loads(raw)
        except ValueError as error:
            raise SmsUnavailable(_("短信服务暂时不可用，请稍后再试。")) from error

    def refuse(self, code: str, detail: str):
        logger.warning("Aliyun SMS refused: %s %s", code, detail)
        if code in THROTTLED:
            raise SmsThrottled(_("短信发送过于频繁，已被短信服务商限制，请稍后再试。"))
        if code in BAD_NUMBER:
            raise SmsRejected(_("手机号码无效，短信无法发送。"))
        if code in NO_CREDIT:
            raise SmsUnavailable(_("短信账户余额不足或已停用，请联系管理员。"))
        raise SmsRejected(_("短信服务商拒绝发送（%(code)s）：%(detail)s") % {
            "code": code, "detail": detail})
