"""A Celery worker logs as the web does (saas/celery.py, settings.LOGGING): each line names the
company schema the task ran in and the task's id. Celery's own format named neither."""

import re
import uuid

import pytest
from django_tenants.utils import schema_context

from tests.probe_tasks import probe_log
from tests.worker import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_task_s_log_line_names_its_company_schema_and_its_task_id(celery_worker, make_company,
                                                                    committed_schemas):
    make_company(name="甲公司", slug="alpha")
    text = uuid.uuid4().hex
    with schema_context("alpha"):
        result = probe_log.delay(text)
        assert result.get(timeout=30) == "alpha"
    log = celery_worker.mail_dir.parent / "worker.log"

    def line():
        return next((row for row in log.read_text(encoding="utf-8").splitlines()
                     if f"probe says {text}" in row), None)

    found = wait_for(line, timeout=10)
    assert re.search(rf" WARNING tests\.probe schema=alpha request={result.id} probe says ", found)
