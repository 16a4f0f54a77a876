"""The documents API: the handbook's versions, a re-render and its progress, downloads (the
admin: every version; members: the members' edition only), and the minutes, monthly report and
dues statement with their pages' rules; company B never reaches A's versions."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from toolkit.documents.models import Edition, HandbookRender

A, B = "alpha.localhost", "beta.localhost"


@pytest.fixture(autouse=True)
def _pdf_cache(settings, tmp_path):
    settings.PDF_CACHE_DIR = str(tmp_path / "pdf-cache")


@pytest.fixture
def rendered(client, api, org_a, tasks_run_here, django_capture_on_commit_callbacks):
    """The admin asks for a new version over the API; the task renders both editions."""
    token = api_login(client, A, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = api("post", A, "/api/v1/documents/handbook/render/", token)
    assert response.status_code == 202, response.content
    return token, {row["edition"]: row["id"] for row in response.json()}


def test_the_admin_lists_renders_follows_progress_and_downloads(api, rendered):
    token, ids = rendered
    rows = api("get", A, "/api/v1/documents/handbook/", token).json()
    assert {row["edition"] for row in rows} == {Edition.FULL, Edition.MEMBER}
    state = api("get", A, f"/api/v1/documents/handbook/{ids['full']}/", token).json()
    assert state["status"] == "done" and state["progress"] == 100 and state["pages"] > 3
    assert state["running"] is False and len(state["content_sha256"]) == 64
    response = api("get", A, f"/api/v1/documents/handbook/{ids['full']}/download/", token)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_member_sees_and_downloads_the_members_edition_only(client, api, org_a, rendered):
    _admin, ids = rendered
    token = api_login(client, A, org_a.members[2].user.mobile)
    rows = api("get", A, "/api/v1/documents/handbook/", token).json()
    assert [row["id"] for row in rows] == [ids["member"]]
    assert api("get", A, f"/api/v1/documents/handbook/{ids['full']}/", token).status_code == 404
    assert api("get", A, f"/api/v1/documents/handbook/{ids['full']}/download/",
               token).status_code == 404
    response = api("get", A, f"/api/v1/documents/handbook/{ids['member']}/download/", token)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api("post", A, "/api/v1/documents/handbook/render/", token).status_code == 403
    assert api("post", A, f"/api/v1/documents/handbook/{ids['full']}/retry/",
               token).status_code == 403


def test_only_a_failed_render_is_retried(api, rendered):
    token, ids = rendered
    response = api("post", A, f"/api/v1/documents/handbook/{ids['full']}/retry/", token)
    assert response.status_code in (400, 409) and response.json()["code"] == "handbook_not_failed"


def test_company_b_never_reaches_as_versions(client, api, org_b, rendered):
    _admin, ids = rendered
    token = api_login(client, B, "admin")
    assert api("get", B, "/api/v1/documents/handbook/", token).json() == []
    for path in (f"{ids['full']}/", f"{ids['full']}/download/"):
        assert api("get", B, f"/api/v1/documents/handbook/{path}", token).status_code == 404
    with schema_context("beta"):
        assert not HandbookRender.objects.exists()


def test_minutes_are_for_the_meetings_managers_and_dues_for_the_member(client, api, org_a,
                                                                        org_b):
    from toolkit.life.models import Meeting, MeetingKind

    unit = org_a.branches[0]  # its secretary is members[0]; members[3] is of branch 2
    with schema_context("alpha"):
        start = timezone.now() - datetime.timedelta(days=1)
        meeting = Meeting.objects.create(unit=unit, kind=MeetingKind.BRANCH_ASSEMBLY,
                                         title="学习党章", starts_at=start,
                                         ends_at=start + datetime.timedelta(hours=2),
                                         created_by=org_a.admin)
    secretary = api_login(client, A, org_a.members[0].user.mobile)
    path = f"/api/v1/documents/minutes/{meeting.pk}/"
    response = api("get", A, path, secretary)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    member = api_login(client, A, org_a.members[3].user.mobile)
    assert api("get", A, path, member).status_code == 403
    other = api_login(client, B, "admin")
    assert api("get", B, path, other).status_code == 404  # no such meeting in B

    response = api("get", A, f"/api/v1/documents/dues/{timezone.localdate().year}/", member)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert api("get", A, "/api/v1/documents/points-report/2019/1/", member).status_code == 404
