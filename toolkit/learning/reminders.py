"""Reminders before a required course is due: an e-mail and a text message, once per
enrolment and due date (reminded_at), `remind_days_before` days ahead (LearningSettings)."""

import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.codes import sms_send_later
from accounts.sms import Sms, SmsKind
from core import emails
from tenants.selectors import current_company
from toolkit.learning.models import Enrolment, EnrolmentSource
from toolkit.learning.selectors import learning_settings, withdrawn_deliveries


@transaction.atomic
def due_reminders_send(*, today: datetime.date | None = None) -> int:
    """Sends the reminders due today; returns how many enrolments were reminded. Safe to run
    twice: an enrolment reminded since its window opened is not reminded again."""
    today = today or timezone.localdate()
    days = learning_settings().remind_days_before
    due = (Enrolment.objects.select_for_update(skip_locked=True, of=("self",))
           .filter(required=True, completed_at__isnull=True, due_on__gte=today,
                   due_on__lte=today + datetime.timedelta(days=days),
                   member__user__is_active=True)
           # A course withdrawn by the trainer is not due any more (已撤回).
           .exclude(source=EnrolmentSource.DELIVERED,
                    delivery_id__in=withdrawn_deliveries().values("pk"))
           .select_related("member__user", "course"))
    company = current_company()
    sent = 0
    for enrolment in due:
        # Reminded since this due date's window opened: already told (a moved due date
        # opens a new window, and a new reminder).
        opened = enrolment.due_on - datetime.timedelta(days=days)
        if enrolment.reminded_at and timezone.localdate(enrolment.reminded_at) >= opened:
            continue
        _remind(enrolment, company)
        enrolment.reminded_at = timezone.now()
        enrolment.save(update_fields=["reminded_at"])
        sent += 1
    return sent


def _remind(enrolment: Enrolment, company) -> None:
    user = enrolment.member.user
    context = {"name": user.get_full_name(), "course": enrolment.course.title,
               "due": enrolment.due_on.isoformat(), "company": company.name}
    if user.email:
        emails.send_later(to=user.email, template="learning_due", context=context)
    if user.mobile:
        with translation.override("zh-hans"):
            text = _("%(name)s，您好：必修课程《%(course)s》将于 %(due)s 截止，"
                     "请尽快登录党建站点学习。") % context
        sms_send_later(Sms(mobile=user.mobile, kind=SmsKind.REMINDER,
                           params={"name": context["name"], "course": context["course"][:20],
                                   "due": context["due"]}, text=text))
