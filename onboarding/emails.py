"""E-mail through Django's mail framework, sent by a Celery task after the transaction commits
(a rolled-back action never mails anyone). Rendered now, in Chinese unless told otherwise."""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render(template: str, context: dict) -> tuple[str, str]:
    with translation.override("zh-hans"):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return subject, body


def send_later(*, to: str, template: str, context: dict) -> None:
    from onboarding.tasks import email_send_task
    from tenants.services import task_send

    subject, body = render(template, context)
    transaction.on_commit(lambda: task_send(email_send_task, to, subject, body))
