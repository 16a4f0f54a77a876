"""The public certificate register (docs/decisions/0018-offline-checkin-and-certificates.md):
a company records each certificate it issues here, so that /verify/<number> can answer valid
or revoked without reaching into the company. Numbers are the year and 16 random base32
characters (80 bits): nobody walks the register by guessing."""

import base64
import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from tenants.models import Company
from training.models import BatchTrainer, Certificate, Course


class CertificateRefused(Refused):
    """Why a certificate may not be revoked."""


def certificate_number_new() -> str:
    random = base64.b32encode(secrets.token_bytes(10)).decode()  # 16 characters, no padding
    return f"{timezone.localdate().year}{random}"


@transaction.atomic
def certificate_register(*, company: Company, course: Course, holder_name: str, hours: Decimal,
                         issued_on: datetime.date) -> Certificate:
    for _attempt in range(3):  # a collision of 80 random bits is not expected; still, retry
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    number=certificate_number_new(), company=company, course=course,
                    holder_name=holder_name[:50], hours=hours, issued_on=issued_on)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free certificate number")


def certificate_revocable_by(*, certificate: Certificate, user) -> bool:
    """Staff, and the trainers of the batch the certificate's company is in."""
    if not user.is_authenticated:
        return False
    if user.is_incubator_staff or user.is_superuser:
        return True
    return user.is_trainer and BatchTrainer.objects.filter(
        trainer=user, batch__enrolments__company_id=certificate.company_id).exists()


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate_revocable_by(certificate=certificate, user=by):
        raise CertificateRefused(_("只有该公司所在批次的培训师或工作人员可以撤销证书。"),
                                 code="certificate_revoke_forbidden")
    if certificate.revoked_at:
        raise CertificateRefused(_("这张证书已经撤销。"), code="certificate_already_revoked")
    reason = reason.strip()
    if not reason:
        raise CertificateRefused(fields={"reason": [_("请写明撤销原因。")]},
                                 code="certificate_revoke_reason_missing")
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revoke_reason = reason[:200]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return certificate


def certificate_verify_url(*, number: str) -> str:
    """The address the certificate's QR code carries: the incubator's own verify page."""
    port = settings.PUBLIC_PORT
    port = "" if port in ("", "80", "443") else f":{port}"
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/verify/{number}/"
