import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import login
from toolkit.arena import services
from toolkit.arena.models import ClaimStatus, Evidence
from toolkit.points.selectors import balance_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 8


@pytest.fixture
def task(org_a):
    secretary = org_a.members[0]  # secretary of 第1党支部
    with schema_context("alpha"):
        return services.task_publish(
            publisher=org_a.branches[0], title="整理党员档案", description="", points=20,
            deadline=timezone.now() + datetime.timedelta(days=3), places=1,
            by=secretary.user)


def test_publishing_is_for_the_units_secretary_or_the_admin(org_a):
    plain_member = org_a.members[3]
    with schema_context("alpha"), pytest.raises(Forbidden) as caught:
        services.task_publish(publisher=org_a.branches[0], title="x", description="",
                              points=5, deadline=timezone.now() + datetime.timedelta(days=1),
                              places=1, by=plain_member.user)
    assert caught.value.code == "forbidden"
    other_secretary = org_a.members[1]  # secretary of 第2党支部, not of 第1
    with schema_context("alpha"), pytest.raises(Forbidden):
        services.task_publish(publisher=org_a.branches[0], title="x", description="",
                              points=5, deadline=timezone.now() + datetime.timedelta(days=1),
                              places=1, by=other_secretary.user)


def test_claim_submit_accept_scores_the_tasks_points(org_a, task):
    member = org_a.members[2]
    with schema_context("alpha"):
        claim = services.task_claim(task=task, member=member)
        with pytest.raises(services.ArenaRefused, match="名额已满"):
            services.task_claim(task=task, member=org_a.members[4])
        services.claim_submit(claim=claim, member=member, text="已整理 40 份档案",
                              files=[SimpleUploadedFile("照片.png", PNG),
                                     SimpleUploadedFile("清单.pdf", PDF)])
        assert Evidence.objects.filter(claim=claim).count() == 2
        with pytest.raises(Forbidden):
            services.claim_review(claim=claim, reviewer=org_a.members[1].user, accept=True)
        services.claim_review(claim=claim, reviewer=org_a.members[0].user, accept=True)
        assert balance_of(member=member) == 20
        with pytest.raises(services.ArenaRefused, match="已经审核过"):
            services.claim_review(claim=claim, reviewer=org_a.admin, accept=True)
        assert balance_of(member=member) == 20


def test_a_secretary_cannot_accept_their_own_work(org_a, task):
    secretary = org_a.members[0]
    with schema_context("alpha"):
        claim = services.task_claim(task=task, member=secretary)
        services.claim_submit(claim=claim, member=secretary, text="我自己完成了", files=[])
        with pytest.raises(services.ArenaRefused, match="不能审核自己"):
            services.claim_review(claim=claim, reviewer=secretary.user, accept=True)
        services.claim_review(claim=claim, reviewer=org_a.admin, accept=True)
        assert balance_of(member=secretary) == 20


def test_returned_work_needs_a_reason_and_can_be_resubmitted(org_a, task):
    member = org_a.members[2]
    with schema_context("alpha"):
        claim = services.task_claim(task=task, member=member)
        services.claim_submit(claim=claim, member=member, text="初稿", files=[])
        with pytest.raises(services.ArenaRefused, match="原因"):
            services.claim_review(claim=claim, reviewer=org_a.admin, accept=False)
        claim = services.claim_review(claim=claim, reviewer=org_a.admin, accept=False,
                                      note="缺少附件")
        assert claim.status == ClaimStatus.RETURNED
        services.claim_submit(claim=claim, member=member, text="补充",
                              files=[SimpleUploadedFile("补充.png", PNG)])
        assert balance_of(member=member) == 0


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("伪装.png", b"MZ\x90\x00 an executable"), "不是允许的文件类型"),
    (SimpleUploadedFile("文本.pdf", "只是文字".encode()), "不是允许的文件类型"),
    (SimpleUploadedFile("大图.png", PNG + b"\x00" * (5 * 1024 * 1024)), "超过 5 MB"),
])
def test_evidence_is_checked_by_content_and_size_and_nothing_is_kept(org_a, task, upload,
                                                                     message):
    member = org_a.members[2]
    with schema_context("alpha"):
        claim = services.task_claim(task=task, member=member)
        good = SimpleUploadedFile("好的.png", PNG)
        with pytest.raises(Exception, match=message):
            services.claim_submit(claim=claim, member=member, text="x", files=[good, upload])
        assert not Evidence.objects.exists()
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.CLAIMED


def test_another_companys_evidence_and_tasks_stay_hidden(client, org_a, org_b, task,
                                                          _media_root):
    member = org_a.members[2]
    with schema_context("alpha"):
        claim = services.task_claim(task=task, member=member)
        services.claim_submit(claim=claim, member=member, text="x",
                              files=[SimpleUploadedFile("甲的证据.png", PNG)])
        evidence = Evidence.objects.get()
        assert evidence.file.path.startswith(_media_root + "/alpha/")
    login(client, "beta.localhost", org_b.members[0].user.username)
    assert client.get(f"/arena/evidence/{evidence.pk}/",
                      HTTP_HOST="beta.localhost").status_code == 404
    connection.set_schema_to_public()
    page = client.get(f"/arena/{task.pk}/", HTTP_HOST="beta.localhost")
    assert page.status_code == 404
    connection.set_schema_to_public()
    assert "整理党员档案" not in client.get("/arena/", HTTP_HOST="beta.localhost").content.decode()
    # And inside alpha, a member who is neither the owner nor a reviewer cannot open it.
    client.logout()
    connection.set_schema_to_public()
    login(client, "alpha.localhost", org_a.members[3].user.username)
    assert client.get(f"/arena/evidence/{evidence.pk}/",
                      HTTP_HOST="alpha.localhost").status_code == 403


def test_old_task_links_lead_to_the_arena(client, org_a):
    login(client, "alpha.localhost", org_a.members[2].user.username)
    response = client.get("/tasks/12/?from=chat", HTTP_HOST="alpha.localhost")
    assert response.status_code == 301 and response["Location"] == "/arena/12/?from=chat"
