"""Background work runs in the schema of whoever sent it, through a real worker."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from tests.probe_tasks import probe_read_people
from toolkit.org.models import Member

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _people(schema: str, names: list[str]) -> None:
    with schema_context(schema):
        for index, name in enumerate(names):
            user = user_create(username=f"{schema}{index}", password="pw-123456", full_name=name)
            Member.objects.create(user=user)


def test_a_task_sent_from_company_a_reads_a_and_never_b(celery_worker, make_company,
                                                         committed_schemas):
    make_company(name="甲公司", slug="alpha")
    make_company(name="乙公司", slug="beta")
    _people("alpha", ["甲张伟", "甲王芳"])
    _people("beta", ["乙李娜"])
    with schema_context("alpha"):
        seen_by_a = probe_read_people.delay().get(timeout=30)
    with schema_context("beta"):
        seen_by_b = probe_read_people.delay().get(timeout=30)
    assert seen_by_a == {"schema": "alpha", "users": ["甲张伟", "甲王芳"],
                         "members": ["甲张伟", "甲王芳"]}
    assert seen_by_b == {"schema": "beta", "users": ["乙李娜"], "members": ["乙李娜"]}


def test_a_task_sent_from_public_cannot_touch_company_tables(celery_worker, make_company,
                                                             committed_schemas):
    make_company(name="甲公司", slug="alpha")
    _people("alpha", ["甲张伟"])
    user_create(username="staff1", password="pw-123456", full_name="王晓燕", role=Role.STAFF)
    seen = probe_read_people.delay().get(timeout=30)
    assert seen["schema"] == "public"
    assert seen["users"] == ["王晓燕"]  # public's own accounts, not the company's
    assert 'relation "org_member" does not exist' in seen["members_error"]
