# ruff: noqa: F811 - the fixtures imported below are used as arguments
"""Certificates: finishing a course issues one (register row up, PDF in the company's storage),
its QR code leads to the verify page, trainers of the batch and staff revoke it, and nobody
but its holder downloads it."""

import subprocess

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from tests.training.offline.conftest import (  # noqa: F401 - fixtures
    _shared_media_root,
    batch,
    course,
    orgs,
    other_batch,
    other_trainer,
    public_login,
    staff,
    trainer,
)
from toolkit.learning.certificates import certificate_issue
from toolkit.learning.models import Enrolment, EnrolmentSource
from toolkit.learning.signals import course_completed
from training.models import Certificate, CourseVersion

pytestmark = pytest.mark.django_db


def _completed(schema, member, course):
    with schema_context(schema):
        return Enrolment.objects.create(
            member=member, course=course, version=CourseVersion.objects.get(course=course),
            source=EnrolmentSource.DELIVERED, started_at=timezone.now(),
            completed_at=timezone.now())


def _issue(schema, member, course) -> Certificate:
    enrolment = _completed(schema, member, course)
    with schema_context(schema):
        return certificate_issue(enrolment_id=enrolment.pk)


def test_finishing_a_course_issues_a_registered_certificate_with_a_readable_qr(
        orgs, course, tmp_path):
    member = orgs["alpha"].members[2]
    certificate = _issue("alpha", member, course)
    assert (certificate.holder_name, certificate.course, certificate.company) == (
        member.user.full_name, course, orgs["alpha"].company)
    assert str(certificate.hours) == "3.5"  # the version's lessons: 1.5 + 2.0
    assert certificate.number.startswith(str(timezone.localdate().year))
    assert len(certificate.number) == 20
    with schema_context("alpha"):
        path = f"certificates/{member.pk}/{course.pk}-{certificate.number}.pdf"
        assert default_storage.exists(path)
        pdf = tmp_path / "certificate.pdf"
        pdf.write_bytes(default_storage.open(path).read())
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True,
                             text=True, timeout=30)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == f"http://localhost/verify/{certificate.number}/"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert member.user.full_name in text and "学习党章" in text and certificate.number in text


def test_issuing_twice_keeps_one_certificate(orgs, course):
    member = orgs["alpha"].members[1]
    enrolment = _completed("alpha", member, course)
    with schema_context("alpha"):
        first = certificate_issue(enrolment_id=enrolment.pk)
        second = certificate_issue(enrolment_id=enrolment.pk)
    assert first == second and Certificate.objects.count() == 1


def test_the_completion_signal_issues_the_certificate(orgs, course, tasks_run_here):
    member = orgs["alpha"].members[1]
    enrolment = _completed("alpha", member, course)
    with schema_context("alpha"):
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    assert Certificate.objects.filter(holder_name=member.user.full_name).count() == 1


def test_verify_says_valid_then_revoked_and_not_found_for_a_number_from_nowhere(
        client, orgs, course, trainer):
    certificate = _issue("alpha", orgs["alpha"].members[1], course)
    page = client.get(f"/verify/{certificate.number}/", HTTP_HOST="localhost")
    text = page.content.decode()
    assert page.status_code == 200 and "此证书有效" in text
    assert certificate.holder_name in text and "学习党章" in text
    assert "甲公司" not in text and "撤销此证书" not in text  # nothing else
    public_login(client, trainer.username)
    assert "撤销此证书" in client.get(f"/verify/{certificate.number}/",
                                      HTTP_HOST="localhost").content.decode()
    refused = client.post(f"/verify/{certificate.number}/revoke/", {"reason": " "},
                          HTTP_HOST="localhost")
    assert refused.status_code == 200
    done = client.post(f"/verify/{certificate.number}/revoke/", {"reason": "考试作弊"},
                       HTTP_HOST="localhost")
    assert done.status_code == 302
    client.logout()
    text = client.get(f"/verify/{certificate.number}/", HTTP_HOST="localhost").content.decode()
    assert "此证书已撤销" in text and "此证书有效" not in text and "考试作弊" not in text
    missing = client.get("/verify/2026AAAAAAAAAAAAAAAA/", HTTP_HOST="localhost")
    assert missing.status_code == 404 and "未找到" in missing.content.decode()


def test_a_trainer_of_another_batch_cannot_revoke(client, orgs, course, other_trainer, staff):
    certificate = _issue("alpha", orgs["alpha"].members[1], course)
    public_login(client, other_trainer.username)
    assert client.post(f"/verify/{certificate.number}/revoke/", {"reason": "x"},
                       HTTP_HOST="localhost").status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    client.logout()
    public_login(client, staff.username)
    assert client.post(f"/verify/{certificate.number}/revoke/", {"reason": "信息有误"},
                       HTTP_HOST="localhost").status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revoked_by == staff


def test_only_the_holder_downloads_the_pdf(client, orgs, course):
    holder, neighbour = orgs["alpha"].members[1], orgs["alpha"].members[2]
    certificate = _issue("alpha", holder, course)
    login(client, "alpha.localhost", holder.user.username)
    listing = client.get("/certificates/", HTTP_HOST="alpha.localhost").content.decode()
    assert certificate.number in listing
    pdf = client.get(f"/certificates/{certificate.number}.pdf", HTTP_HOST="alpha.localhost")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    client.logout()
    login(client, "alpha.localhost", neighbour.user.username)
    assert client.get(f"/certificates/{certificate.number}.pdf",
                      HTTP_HOST="alpha.localhost").status_code == 404
    assert certificate.number not in client.get(
        "/certificates/", HTTP_HOST="alpha.localhost").content.decode()
    client.logout()
    # Company B's member: A's number finds nothing on B's site (B's storage, B's folders).
    outsider = orgs["beta"].members[1]
    login(client, "beta.localhost", outsider.user.username)
    assert client.get(f"/certificates/{certificate.number}.pdf",
                      HTTP_HOST="beta.localhost").status_code == 404
