from celery import shared_task
from django.db import connection
from django_tenants.utils import schema_context

from tenants.selectors import companies_with_schemas
from toolkit.documents import selectors
from toolkit.documents.services import handbook_issue, handbook_render


@shared_task(acks_late=True)
def handbook_render_task(render_id: int) -> str:
    # Sent from the company's site or schema: it runs in that schema. A finished version is
    # left alone, so a message delivered twice renders once. The render holds its lock while it
    # runs (a second delivery waits for it, then finds it done); a worker killed mid-render
    # drops the lock with its connection, which is how the sweep knows (docs/decisions/0031).
    key = selectors.render_lock_key(render_id=render_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s), hashtext(%s))", key)
    try:
        return handbook_render(render_id=render_id).status
    finally:
        if connection.connection is not None:  # a closed connection has dropped it already
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), hashtext(%s))", key)


@shared_task(acks_late=True)
def handbook_issue_task(batch_name: str, issuer: str) -> list[int]:
    # Sent by the incubator with the company's schema (onboarding.services.toolkit_issue).
    return [render.pk for render in handbook_issue(batch_name=batch_name, issuer=issuer)]


@shared_task(ignore_result=True)
def handbook_render_sweep_task() -> int:
    """Beat: each company's renders that no worker is on any more (killed mid-render, or a
    message the filesystem broker deleted with its worker) sent again from the company's schema,
    where the render runs. One short query a company, and a lock tried per unfinished render."""
    sent = 0
    for schema in companies_with_schemas():
        with schema_context(schema):
            for render_id in selectors.renders_abandoned():
                handbook_render_task.delay(render_id)
                sent += 1
    return sent
