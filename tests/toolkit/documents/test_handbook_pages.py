"""The handbook on the company's site: the admin's versions, progress and downloads; members
get the members' edition only; another company's site has none of it."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.toolkit.conftest import login
from tests.toolkit.documents.conftest import pdf_text
from toolkit.documents import services
from toolkit.documents.models import Edition, HandbookDownload, HandbookRender, RenderStatus


@pytest.fixture
def rendered(org_a):
    with schema_context("alpha"):
        full = services.handbook_render(render_id=services.handbook_request().pk)
        member = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.MEMBER).pk)
    connection.set_schema_to_public()
    return full, member


def test_the_admin_sees_every_version_and_downloads_it(client, org_a, rendered, tmp_path):
    full, member = rendered
    login(client, "alpha.localhost", "admin")
    page = client.get("/documents/", HTTP_HOST="alpha.localhost").content.decode()
    assert f"#{full.pk}" in page and f"#{member.pk}" in page and full.content_sha256[:12] in page
    response = client.get(f"/documents/{full.pk}/download/", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "党员名册" in pdf_text(b"".join(response.streaming_content) if response.streaming
                                  else response.content, tmp_path)
    with schema_context("alpha"):
        assert HandbookDownload.objects.filter(render_id=full.pk, user=org_a.admin).exists()


def test_a_member_downloads_the_members_edition_but_not_the_full_one(client, org_a, rendered):
    full, member = rendered
    login(client, "alpha.localhost", org_a.members[3].user.username)
    page = client.get("/documents/", HTTP_HOST="alpha.localhost").content.decode()
    assert f"/documents/{member.pk}/download/" in page and f"/documents/{full.pk}/" not in page
    assert client.get(f"/documents/{member.pk}/download/",
                      HTTP_HOST="alpha.localhost").status_code == 200
    assert client.get(f"/documents/{full.pk}/download/",
                      HTTP_HOST="alpha.localhost").status_code == 403
    assert client.post("/documents/rerender/", HTTP_HOST="alpha.localhost").status_code == 403


def test_company_as_handbook_cannot_be_downloaded_from_company_bs_site(client, org_a, org_b,
                                                                       rendered):
    full, member = rendered
    login(client, "beta.localhost", "admin")
    for render in (full, member):
        response = client.get(f"/documents/{render.pk}/download/", HTTP_HOST="beta.localhost")
        assert response.status_code == 404
        assert client.get(f"/documents/{render.pk}/progress/",
                          HTTP_HOST="beta.localhost").status_code == 404
    # A's session is nothing on B's host either.
    client.logout()
    login(client, "alpha.localhost", "admin")
    response = client.get(f"/documents/{full.pk}/download/", HTTP_HOST="beta.localhost")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_progress_is_a_small_json(client, org_a):
    with schema_context("alpha"):
        render = services.handbook_request()
    connection.set_schema_to_public()
    login(client, "alpha.localhost", "admin")
    data = client.get(f"/documents/{render.pk}/progress/", HTTP_HOST="alpha.localhost").json()
    assert data == {"progress": 0, "step": "排队等待生成", "status": "running"}


def test_a_failed_render_shows_its_error_and_the_admin_retries_it(client, org_a, monkeypatch,
                                                                  tasks_run_here,
                                                                  django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise OSError("磁盘已满")

    original = services.sections_render
    monkeypatch.setattr(services, "sections_render", broken)
    login(client, "alpha.localhost", "admin")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/documents/rerender/", HTTP_HOST="alpha.localhost")
    page = client.get("/documents/", HTTP_HOST="alpha.localhost").content.decode()
    assert "磁盘已满" in page and "重试" in page
    with schema_context("alpha"):
        failed = services.selectors.renders(edition=Edition.FULL).first()
    assert failed.status == RenderStatus.FAILED
    monkeypatch.setattr(services, "sections_render", original)
    connection.set_schema_to_public()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/documents/{failed.pk}/retry/", HTTP_HOST="alpha.localhost")
    with schema_context("alpha"):
        failed.refresh_from_db()
    assert failed.status == RenderStatus.DONE and failed.pages > 5


def _row(page: str, render_id: int) -> str:
    """The versions table's row of one render."""
    rows = [row for row in page.split("<tr>") if f"#{render_id} " in row]
    assert len(rows) == 1, render_id
    return rows[0].split("</tr>")[0]


def test_each_version_records_and_shows_who_asked_for_it(client, org_a, org_b):
    with schema_context("alpha"):
        other_admin = User.objects.create(username="admin2", full_name="王秀英",
                                          role=Role.COMPANY_ADMIN,
                                          password=make_password("pw-123456"))
        issued = services.handbook_request(edition=Edition.FULL, issued=True)
        issued.status = RenderStatus.DONE  # not running, so the rerender makes a new one
        issued.save(update_fields=["status"])
    connection.set_schema_to_public()
    login(client, "alpha.localhost", "admin")  # alpha管理员 asks
    assert client.post("/documents/rerender/", HTTP_HOST="alpha.localhost").status_code == 302
    with schema_context("alpha"):
        asked = list(HandbookRender.objects.filter(issued=False).order_by("edition"))
    assert {render.edition for render in asked} == {Edition.FULL, Edition.MEMBER}
    assert all(render.requested_by_id == org_a.admin.pk for render in asked)
    assert issued.requested_by is None
    # Another admin of the company sees the one who asked, not themselves.
    client.logout()
    login(client, "alpha.localhost", other_admin.username)
    page = client.get("/documents/", HTTP_HOST="alpha.localhost").content.decode()
    for render in asked:
        row = _row(page, render.pk)
        assert "alpha管理员" in row and "王秀英" not in row
    assert "孵化器" in _row(page, issued.pk) and "alpha管理员" not in _row(page, issued.pk)
    # Company B's admin sees none of A's versions nor who asked for them.
    client.logout()
    login(client, "beta.localhost", "admin")
    page = client.get("/documents/", HTTP_HOST="beta.localhost").content.decode()
    assert "alpha管理员" not in page and f"#{asked[0].pk} " not in page
