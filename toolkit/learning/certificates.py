"""Certificates (结业证书): finishing a course issues one (docs/decisions/0018). The register row
(number, name, course, hours, date) goes up to the public register for /verify/<number>; the
PDF stays in the company's own storage, under the member's folder:

    certificates/<member id>/<course id>-<number>.pdf

The folder is the member's index of their certificates (no second table to keep in step), and
a file can only be opened through this company's storage, so another company never reaches it."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.selectors import current_company
from toolkit.learning.certificates_pdf import certificate_html, certificate_pdf
from toolkit.learning.models import Enrolment
from toolkit.org.models import Member
from training.certificates import certificate_register, certificate_verify_url
from training.models import Certificate, Lesson

FOLDER = "certificates"


def member_folder(member_id: int) -> str:
    return f"{FOLDER}/{member_id}"


def certificate_path(*, member_id: int, course_id: int, number: str) -> str:
    return f"{member_folder(member_id)}/{course_id}-{number}.pdf"


def member_files(member_id: int) -> list[str]:
    folder = member_folder(member_id)
    if not default_storage.exists(folder):
        return []
    return sorted(name for name in default_storage.listdir(folder)[1] if name.endswith(".pdf"))


def _existing_number(member_id: int, course_id: int) -> str | None:
    prefix = f"{course_id}-"
    return next((name.removeprefix(prefix).removesuffix(".pdf")
                 for name in member_files(member_id) if name.startswith(prefix)), None)


def course_hours(*, enrolment: Enrolment) -> Decimal:
    """The course's 学时: the sum over the lessons of the version the member took."""
    lessons = Lesson.objects.filter(chapter__version_id=enrolment.version_id) \
        if enrolment.version_id else Lesson.objects.none()
    return lessons.aggregate(total=Sum("hours"))["total"] or Decimal("0")


@transaction.atomic
def certificate_issue(*, enrolment_id: int) -> Certificate | None:
    """Issues the certificate of a completed enrolment: registered up, PDF stored here. Safe to
    run twice (a second run finds the member's file and returns that certificate)."""
    enrolment = Enrolment.objects.select_related("member__user").filter(
        pk=enrolment_id, completed_at__isnull=False).first()
    if enrolment is None:
        return None
    # One issuer at a time per member: a replayed signal waits and then finds the file.
    Member.objects.select_for_update().filter(pk=enrolment.member_id).first()
    existing = _existing_number(enrolment.member_id, enrolment.course_id)
    if existing:
        return Certificate.objects.filter(number=existing).first()
    course = enrolment.course
    certificate = certificate_register(
        company=current_company(), course=course,
        holder_name=enrolment.member.user.get_full_name(), hours=course_hours(enrolment=enrolment),
        issued_on=timezone.localdate(enrolment.completed_at))
    html = certificate_html(
        number=certificate.number, holder_name=certificate.holder_name, course_title=course.title,
        hours=certificate.hours, issued_on=certificate.issued_on, issuer=_("党建孵化器培训中心"),
        verify_url=certificate_verify_url(number=certificate.number))
    default_storage.save(
        certificate_path(member_id=enrolment.member_id, course_id=course.pk,
                         number=certificate.number),
        ContentFile(certificate_pdf(html=html)))
    return certificate
