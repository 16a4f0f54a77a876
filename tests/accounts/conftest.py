"""Fixtures for getting in: messages kept in memory, a fresh rate-limit cache per test."""

import itertools

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.sms import locmem
from toolkit.org.models import Member

_ips = itertools.count(1)


@pytest.fixture(autouse=True)
def _sms_and_limits(settings):
    # The real cache key function (schema in every key), on a cache of this test's own: the
    # limits of one test never spill into the next.
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"accounts-test-{next(_ips)}",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }}
    settings.SMS_BACKEND = "accounts.sms.locmem.SmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    locmem.outbox.clear()
    mail.outbox.clear()


@pytest.fixture
def committed(tasks_run_here, django_capture_on_commit_callbacks):
    """`with committed():` runs what the block queued for after commit (tasks too) in this
    process; texts land in locmem.outbox, e-mail in mail.outbox."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def texts_to(mobile: str) -> list[str]:
    return [message.text for _schema, message in locmem.outbox if message.mobile == mobile]


def last_code(mobile: str) -> str:
    import re

    return re.search(r"验证码 (\d{6})", texts_to(mobile)[-1]).group(1)


def new_member(schema: str, unit, *, name: str, mobile: str, email: str = "") -> Member:
    """A member as the import makes them: no usable password yet."""
    with schema_context(schema):
        user = User.objects.create(username=mobile, mobile=mobile, full_name=name, email=email,
                                   role=Role.MEMBER, password=make_password(None))
        return Member.objects.create(user=user, unit=unit)


@pytest.fixture
def org_a(make_company):
    from tests.toolkit.conftest import build_org

    make_company(name="甲公司", slug="alpha")
    return build_org("alpha")


@pytest.fixture
def org_b(make_company):
    from tests.toolkit.conftest import build_org

    make_company(name="乙公司", slug="beta")
    return build_org("beta")
