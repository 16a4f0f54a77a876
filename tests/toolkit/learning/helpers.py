"""Enrolling a member of a fixture company on a built course, in its schema."""

from django_tenants.utils import schema_context

from tenants.models import Company
from tests.toolkit.learning.conftest import Built, deliver
from toolkit.learning import services
from toolkit.learning.models import Enrolment


def enrolled(built: Built, member, *, schema: str = "alpha", **delivery) -> Enrolment:
    """Delivers the course to the company (once) and returns the member's started enrolment."""
    company = Company.objects.get(schema_name=schema)
    if not built.course.deliveries.filter(companies=company).exists():
        deliver(built, companies=[company], **delivery)
    with schema_context(schema):
        services.enrolments_sync()
        return services.enrolment_start(
            enrolment=Enrolment.objects.get(member=member, course=built.course))
