"""A company's monthly close and member import lock only that company: company A holding its
lock leaves company B free."""

import datetime
import threading

from django.db import connection, connections
from django_tenants.utils import schema_context

from accounts.models import Role
from accounts.services import user_create
from onboarding.company.import_services import IMPORT_LOCK, member_import_run
from onboarding.company.models import ImportStatus, MemberImport
from tenants.locks import company_xact_lock_try
from toolkit.points.close import CLOSE_LOCK, monthly_close


def _free_elsewhere(schema: str, name: str) -> bool:
    """Whether another connection could take `name` in `schema` right now."""
    answer = []

    def probe():
        try:
            with schema_context(schema):
                answer.append(company_xact_lock_try(name))
        finally:
            connections.close_all()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(10)
    return answer == [True]


def test_a_companys_close_does_not_hold_up_another_companys(company_a, company_b):
    with schema_context("alpha"):
        monthly_close(month=datetime.date(2026, 10, 1))  # its lock is held until the test ends
    assert _free_elsewhere("beta", CLOSE_LOCK)
    assert not _free_elsewhere("alpha", CLOSE_LOCK)
    assert _free_elsewhere("alpha", IMPORT_LOCK)


def test_a_companys_import_does_not_hold_up_another_companys(company_a, company_b):
    with schema_context("alpha"):
        admin = user_create(username="admin", password="pw-123456", full_name="管理员",
                            role=Role.COMPANY_ADMIN)
        job = MemberImport.objects.create(file_name="a.csv", uploaded_by=admin,
                                          total_rows=0, good_rows=[], errors=[],
                                          status=ImportStatus.IMPORTING)
        member_import_run(job_id=job.pk)
        assert connection.in_atomic_block  # the test's transaction: the lock is still held
    assert _free_elsewhere("beta", IMPORT_LOCK)
    assert not _free_elsewhere("alpha", IMPORT_LOCK)
