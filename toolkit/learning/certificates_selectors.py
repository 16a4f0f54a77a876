"""A member's certificates: the files in their folder of the company's storage, with each one's
register row (valid or revoked)."""

from typing import NamedTuple

from django.core.files.storage import default_storage

from tenants.selectors import current_company
from toolkit.learning.certificates import member_files, member_folder
from toolkit.org.models import Member
from training.models import Certificate


class MemberCertificate(NamedTuple):
    certificate: Certificate
    path: str


def certificates_of(*, member: Member) -> list[MemberCertificate]:
    numbers = {name.split("-", 1)[1].removesuffix(".pdf"): f"{member_folder(member.pk)}/{name}"
               for name in member_files(member.pk) if "-" in name}
    rows = Certificate.objects.filter(number__in=numbers, company=current_company()) \
        .select_related("course").order_by("-issued_on", "number")
    return [MemberCertificate(row, numbers[row.number]) for row in rows]


def certificate_file_of(*, member: Member, number: str):
    """The member's own certificate PDF (an open file), or None: another member's number, or
    another company's, finds nothing in this member's folder."""
    found = next((item for item in certificates_of(member=member)
                  if item.certificate.number == number), None)
    return default_storage.open(found.path, "rb") if found else None
