"""A company's admin adopts an open course from the catalogue for their company (called from
the company's site, toolkit.learning): the one public write a company makes about courses."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Refused
from tenants.models import Company
from training.models import Adoption, Course, VersionStatus


class AdoptionRefused(Refused):
    pass


@transaction.atomic
def course_adopt(*, company: Company, course: Course, by_name: str) -> Adoption:
    """Idempotent: adopting a course twice returns the first adoption."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.retired_at is not None or not course.open_to_adopt:
        raise AdoptionRefused(_("该课程不对公司开放自选。"), code="course_not_open")
    if not course.versions.filter(status=VersionStatus.PUBLISHED).exists():
        raise AdoptionRefused(_("该课程尚未发布。"), code="course_not_published")
    adoption, _created = Adoption.objects.get_or_create(
        company=company, course=course, defaults={"adopted_by_name": by_name[:50]})
    return adoption
