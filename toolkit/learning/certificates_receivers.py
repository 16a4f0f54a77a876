"""Connects certificates to learning's announcement: a completed course queues the certificate
(rendering a PDF is background work). Imported by LearningConfig.ready()."""

from django.dispatch import receiver

from core.tasks import task_send
from toolkit.learning import certificates_tasks  # noqa: F401 - registers the task by name
from toolkit.learning.signals import course_completed

TASK = "toolkit.learning.certificates_tasks.certificate_issue_task"


@receiver(course_completed, dispatch_uid="learning.certificate_issue")
def certificate_on_completion(sender, enrolment, **kwargs):
    task_send(TASK, enrolment.pk)  # the signal is sent after commit
