"""Evidence reaches the disk only when its submission commits."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.arena import services
from toolkit.arena.models import Evidence

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Boom(Exception):
    pass


@pytest.fixture
def claim(org_a):
    with schema_context("alpha"):
        task = services.task_publish(
            publisher=org_a.branches[0], title="整理党员档案", description="", points=20,
            deadline=timezone.now() + datetime.timedelta(days=3), places=1,
            by=org_a.members[0].user)
        return services.task_claim(task=task, member=org_a.members[2])


def _files(media_root: str) -> list[Path]:
    return [p for p in (Path(media_root) / "alpha").rglob("*") if p.is_file()]


def test_a_rolled_back_submission_leaves_no_file(org_a, claim, _media_root,
                                                 django_capture_on_commit_callbacks):
    before = _files(_media_root)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Boom), transaction.atomic():
            services.claim_submit(claim=claim, member=org_a.members[2], text="x",
                                  files=[SimpleUploadedFile("照片.png", PNG)])
            raise Boom  # anything after the submission, in the same transaction
        assert not Evidence.objects.exists()
    assert _files(_media_root) == before


def test_a_committed_submission_writes_its_file_in_the_companys_folder(
        client, org_a, claim, _media_root, django_capture_on_commit_callbacks):
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, member=org_a.members[2], text="x",
                              files=[SimpleUploadedFile("照片.png", PNG)])
    with schema_context("alpha"):
        evidence = Evidence.objects.get()
        assert evidence.name == "照片.png"
        path = Path(evidence.file.path)
    assert path.is_relative_to(Path(_media_root) / "alpha") and path.read_bytes() == PNG
    connection.set_schema_to_public()
    login(client, "alpha.localhost", org_a.members[2].user.username)
    response = client.get(f"/arena/evidence/{evidence.pk}/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
