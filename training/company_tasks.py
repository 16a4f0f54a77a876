"""The catalogue's one way into the companies it serves: a task sent by name to each company's
schema (the schema travels in the message), never a read of company tables from here."""

from django.db.models import Q
from django_tenants.utils import schema_context

from core.tasks import task_send
from tenants.models import Company, CompanyStatus
from training.models import Course, Delivery

# Tasks of the companies' side (toolkit.learning), named, not imported: public code stays below.
ENROLMENTS_SYNC_TASK = "toolkit.learning.tasks.enrolments_sync_task"
VERSION_MOVE_TASK = "toolkit.learning.tasks.enrolments_version_move_task"


def delivery_schemas(*, delivery: Delivery) -> list[str]:
    """The active companies a delivery reaches, directly or through their batch."""
    return _active(Company.objects.filter(
        Q(deliveries=delivery) | Q(enrolment__batch__deliveries=delivery)))


def course_schemas(*, course: Course) -> list[str]:
    """The active companies that have a course: delivered (not withdrawn) or adopted."""
    live = Q(deliveries__course=course, deliveries__withdrawn_at__isnull=True)
    via_batch = Q(enrolment__batch__deliveries__course=course,
                  enrolment__batch__deliveries__withdrawn_at__isnull=True)
    return _active(Company.objects.filter(live | via_batch | Q(adoptions__course=course)))


def schemas_task_send(*, schemas: list[str], name: str, args: tuple = ()) -> int:
    """Sends `name` once into each schema; call it after commit."""
    for schema in schemas:
        with schema_context(schema):
            task_send(name, *args)
    return len(schemas)


def _active(companies) -> list[str]:
    return list(companies.filter(status=CompanyStatus.ACTIVE).distinct()
                .order_by("pk").values_list("schema_name", flat=True))
