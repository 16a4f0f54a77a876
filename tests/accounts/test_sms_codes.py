"""One-time SMS codes: hashed, one use, one purpose, expiring, five wrong guesses, limits per
number and per address, and bound to one company."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.codes import AccountRefused, sms_code_send, sms_code_use, sms_code_verify
from accounts.models import CodePurpose, SmsCode
from tests.accounts.conftest import last_code, texts_to

MOBILE = "13811112222"
IP = "10.0.0.1"
pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(company_a):
    return "alpha"


def send(committed, mobile=MOBILE, purpose=CodePurpose.RESET, ip=IP):
    with committed():
        return sms_code_send(mobile=mobile, purpose=purpose, ip=ip)


def test_the_code_is_texted_and_only_its_hash_is_stored(alpha, committed):
    with schema_context(alpha):
        row = send(committed)
        code = last_code(MOBILE)
        stored = SmsCode.objects.filter(pk=row.pk).values().get()
    assert "甲公司" in texts_to(MOBILE)[0]
    assert not any(code in str(value) for value in stored.values())
    assert len(stored["digest"]) == 64


def test_right_code_works_once(alpha, committed):
    with schema_context(alpha):
        send(committed)
        code = last_code(MOBILE)
        checked = sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=code, ip=IP)
        sms_code_use(sms_code=checked)
        with pytest.raises(AccountRefused, match="验证码错误或已失效"):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=code, ip=IP)
        with pytest.raises(AccountRefused, match="已经用过"):
            sms_code_use(sms_code=checked)


def test_a_code_is_nothing_for_another_purpose(alpha, committed):
    with schema_context(alpha):
        send(committed, purpose=CodePurpose.RESET)
        with pytest.raises(AccountRefused):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.ACTIVATE,
                            code=last_code(MOBILE), ip=IP)


def test_expired_code_is_refused(alpha, committed):
    with schema_context(alpha):
        row = send(committed)
        SmsCode.objects.filter(pk=row.pk).update(expires_at=timezone.now()
                                                 - datetime.timedelta(seconds=1))
        with pytest.raises(AccountRefused, match="已过期"):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=last_code(MOBILE),
                            ip=IP)


def test_five_wrong_guesses_kill_the_code(alpha, committed):
    with schema_context(alpha):
        send(committed)
        code = last_code(MOBILE)
        wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
        for _ in range(5):
            with pytest.raises(AccountRefused, match="验证码不正确"):
                sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=wrong, ip=IP)
        assert SmsCode.objects.get().attempts == 5  # counted although each guess was refused
        with pytest.raises(AccountRefused, match="错误次数过多"):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=code, ip=IP)


def test_a_new_code_replaces_the_older_one(alpha, committed, settings):
    settings.SMS_RATE_PER_MOBILE = "5/60s"
    with schema_context(alpha):
        send(committed)
        first = last_code(MOBILE)
        send(committed)
        second = last_code(MOBILE)
        if first != second:
            with pytest.raises(AccountRefused):
                sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=first, ip=IP)
        assert sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=second, ip=IP)


def test_sending_is_limited_per_number_per_minute(alpha, committed):
    with schema_context(alpha):
        send(committed)
        with pytest.raises(AccountRefused, match="等一分钟"):
            send(committed, ip="10.0.0.2")
        assert len(texts_to(MOBILE)) == 1
        send(committed, mobile="13811113333")  # another number is not held up


def test_sending_is_limited_per_number_per_hour(alpha, committed, settings):
    settings.SMS_RATE_PER_MOBILE = "100/60s"
    settings.SMS_RATE_PER_MOBILE_HOUR = "3/h"
    with schema_context(alpha):
        for _ in range(3):
            send(committed)
        with pytest.raises(AccountRefused, match="一小时后再试"):
            send(committed)
    assert len(texts_to(MOBILE)) == 3


def test_sending_is_limited_per_address(alpha, committed, settings):
    settings.SMS_RATE_PER_IP = "3/h"
    with schema_context(alpha):
        for n in range(3):
            send(committed, mobile=f"1381111000{n}")
        with pytest.raises(AccountRefused, match="此网络"):
            send(committed, mobile="13811110009")
        send(committed, mobile="13811110009", ip="10.0.0.9")


def test_an_ipv6_subscriber_counts_as_one_address(alpha, committed, settings):
    """One subscriber holds a whole /64: rotating through it does not reset the count."""
    settings.SMS_RATE_PER_IP = "3/h"
    with schema_context(alpha):
        for n in range(3):
            send(committed, mobile=f"1381111000{n}", ip=f"2001:db8:1:2::{n + 1}")
        with pytest.raises(AccountRefused, match="此网络"):
            send(committed, mobile="13811110009", ip="2001:db8:1:2:ffff::9")
        send(committed, mobile="13811110009", ip="2001:db8:1:3::1")  # another subscriber


def test_wrong_guesses_are_limited_per_number_across_fresh_codes(alpha, committed, settings):
    settings.SMS_RATE_PER_MOBILE = "100/60s"
    settings.CODE_FAILURES_PER_MOBILE = "6/h"
    with schema_context(alpha):
        for _ in range(2):  # two codes, three wrong guesses each
            send(committed)
            for _ in range(3):
                with pytest.raises(AccountRefused):
                    sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code="000000",
                                    ip=f"10.1.0.{_}")
        send(committed)
        with pytest.raises(AccountRefused, match="一小时后再试"):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=last_code(MOBILE),
                            ip="10.2.0.1")


def test_wrong_guesses_are_limited_per_address(alpha, committed, settings):
    settings.CODE_FAILURES_PER_IP = "4/h"
    with schema_context(alpha):
        for n in range(4):
            send(committed, mobile=f"1381111100{n}")
            with pytest.raises(AccountRefused, match="验证码不正确|验证码错误或已失效"):
                sms_code_verify(mobile=f"1381111100{n}", purpose=CodePurpose.RESET,
                                code="000000" if last_code(f"1381111100{n}") != "000000"
                                else "111111", ip=IP)
        send(committed, mobile="13811111009")
        with pytest.raises(AccountRefused, match="一小时后再试"):
            sms_code_verify(mobile="13811111009", purpose=CodePurpose.RESET,
                            code=last_code("13811111009"), ip=IP)


def test_a_code_of_company_a_is_nothing_on_company_b(company_a, company_b, committed):
    with schema_context("alpha"):
        send(committed)
        code = last_code(MOBILE)
    with schema_context("beta"):
        assert not SmsCode.objects.exists()
        with pytest.raises(AccountRefused):
            sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=code, ip=IP)
    with schema_context("alpha"):
        assert sms_code_verify(mobile=MOBILE, purpose=CodePurpose.RESET, code=code, ip=IP)


def test_limits_are_counted_per_company(company_a, company_b, committed):
    with schema_context("alpha"):
        send(committed)
        with pytest.raises(AccountRefused):
            send(committed)
    with schema_context("beta"):
        send(committed)  # the same number on another company's site is not held up
