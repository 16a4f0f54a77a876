from celery import shared_task

from toolkit.documents.services import handbook_issue, handbook_render


@shared_task(acks_late=True)
def handbook_render_task(render_id: int) -> str:
    # Sent from the company's site or schema: it runs in that schema. A finished version is
    # left alone, so a message delivered twice renders once.
    return handbook_render(render_id=render_id).status


@shared_task(acks_late=True)
def handbook_issue_task(batch_name: str, issuer: str) -> list[int]:
    # Sent by the incubator with the company's schema (onboarding.services.toolkit_issue).
    return [render.pk for render in handbook_issue(batch_name=batch_name, issuer=issuer)]
