"""E-mail through Django's mail framework, sent by a Celery task after the transaction commits
(a rolled-back action never mails anyone). Rendered now, in Chinese unless told otherwise."""

from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation

from core.tasks import task_send


def render(template: str, context: dict) -> tuple[str, str]:
    with translation.override("zh-hans"):
        subject = _render_text(f"emails/{template}_subject.txt", context).strip()
        body = _render_text(f"emails/{template}.txt", context)
    return subject, body


def _render_text(name: str, context: dict) -> str:
    # Plain text, not HTML: "A&B <公司>" must arrive as typed, not as "A&amp;B &lt;公司&gt;".
    return get_template(name).template.render(Context(context, autoescape=False))


def send_later(*, to: str, template: str, context: dict) -> None:
    subject, body = render(template, context)
    transaction.on_commit(lambda: task_send("core.tasks.email_send_task", to, subject, body))
