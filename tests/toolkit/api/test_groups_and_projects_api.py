"""The groups and projects endpoints: the pages' rules (roles) and isolation by company."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login, auth
from toolkit.groups import services as groups
from toolkit.groups.models import GroupKind, Membership
from toolkit.points.models import LedgerEntry
from toolkit.projects import services as projects
from toolkit.projects.models import FigureKind, ProjectKind

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = datetime.date.today()


@pytest.fixture
def group(org_a):
    with schema_context("alpha"):
        return groups.group_create(by=org_a.admin, name="达人团", kind=GroupKind.EXPERT,
                                   theme="技术攻关", leader=org_a.members[0])


@pytest.fixture
def project(org_a):
    with schema_context("alpha"):
        project = projects.project_create(
            by=org_a.admin, name="乡村振兴", kind=ProjectKind.RURAL_REVIVAL, goal="助农",
            starts_on=TODAY - datetime.timedelta(days=5),
            ends_on=TODAY + datetime.timedelta(days=5))
        projects.figure_define(by=org_a.admin, project=project, name="带动农户", unit="户",
                               kind=FigureKind.PEOPLE)
        return project


def test_members_list_follow_and_nominate_but_only_the_committee_decides(org_a, group, api):
    member = api_login(Client(), A, org_a.members[3].user.mobile)
    rows = api("get", A, "/api/v1/groups/", member).json()
    assert [r["name"] for r in rows] == ["达人团"] and rows[0]["member_count"] == 1
    followed = api("post", A, f"/api/v1/groups/{group.pk}/follow/", member, {"follow": True})
    assert followed.json()["followed"] is True and followed.json()["follower_count"] == 1
    nominated = api("post", A, f"/api/v1/groups/{group.pk}/nominations/", member,
                    {"member_id": org_a.members[3].pk, "reason": "自荐"})
    assert nominated.status_code == 201
    again = api("post", A, f"/api/v1/groups/{group.pk}/nominations/", member,
                {"member_id": org_a.members[3].pk, "reason": "再荐"})
    assert again.status_code == 400 and again.json()["code"] == "nomination_pending"
    nomination_id = nominated.json()["id"]
    assert api("get", A, "/api/v1/groups/nominations/", member).status_code == 403
    refused = api("post", A, f"/api/v1/groups/nominations/{nomination_id}/decide/", member,
                  {"approve": True})
    assert refused.status_code == 403
    secretary = api_login(Client(), A, org_a.members[1].user.mobile)  # a branch's, not the 党委's
    assert api("post", A, f"/api/v1/groups/nominations/{nomination_id}/decide/", secretary,
               {"approve": True}).status_code == 403
    admin = api_login(Client(), A, "admin")
    assert len(api("get", A, "/api/v1/groups/nominations/", admin).json()) == 1
    decided = api("post", A, f"/api/v1/groups/nominations/{nomination_id}/decide/", admin,
                  {"approve": True})
    assert decided.json()["status"] == "approved"
    with schema_context("alpha"):
        assert Membership.objects.filter(group=group, member=org_a.members[3]).exists()


def test_only_a_group_member_publishes_and_the_file_is_checked(org_a, group, client):
    outsider = api_login(Client(), A, org_a.members[3].user.mobile)
    leader = api_login(Client(), A, org_a.members[0].user.mobile)
    url = f"/api/v1/groups/{group.pk}/works/"
    data = {"kind": "service", "title": "义诊", "body": "量血压"}
    assert client.post(url, data, HTTP_HOST=A, **auth(outsider)).status_code == 403
    bad = client.post(url, {**data, "file": SimpleUploadedFile("x.png", b"%!PS not png")},
                      HTTP_HOST=A, **auth(leader))
    assert bad.status_code == 400 and bad.json()["code"] == "file_type_not_allowed"
    good = client.post(url, {**data, "file": SimpleUploadedFile("x.png", PNG)}, HTTP_HOST=A,
                       **auth(leader))
    assert good.status_code == 201 and good.json()["has_file"] is True
    lesson = client.post(url, {**data, "member_lesson_id": 999999}, HTTP_HOST=A, **auth(leader))
    assert lesson.status_code == 400 and lesson.json()["code"] == "work_lesson_not_yours"


def test_a_participant_reports_progress_and_scores(org_a, project, client, api):
    member = api_login(Client(), A, org_a.members[4].user.mobile)
    url = f"/api/v1/projects/{project.pk}/reports/"
    with schema_context("alpha"):
        figure_id = project.figures.get().pk
    report = {"occurred_on": TODAY.isoformat(), "note": "走访", f"figure_{figure_id}": "12",
              "files": [SimpleUploadedFile("合影.png", PNG)]}
    assert client.post(url, report, HTTP_HOST=A, **auth(member)).status_code == 403
    assert api("post", A, f"/api/v1/projects/{project.pk}/join/", member).json()["participant"]
    report["files"] = [SimpleUploadedFile("合影.png", PNG)]
    made = client.post(url, report, HTTP_HOST=A, **auth(member))
    assert made.status_code == 201, made.content
    detail = api("get", A, f"/api/v1/projects/{project.pk}/", member).json()
    assert Decimal(detail["figures"][0]["total"]) == Decimal("12")
    totals = api("get", A, "/api/v1/projects/totals/", member).json()
    assert totals[0]["name"] == "带动农户" and Decimal(totals[0]["total"]) == 12
    no_evidence = client.post(url, {**report, "files": []}, HTTP_HOST=A, **auth(member))
    assert no_evidence.status_code == 400
    with schema_context("alpha"):
        assert LedgerEntry.objects.filter(rule_code="project_participation").count() == 1


def test_company_b_sees_none_of_a(org_a, org_b, group, project, api):
    b_member = api_login(Client(), B, org_b.members[3].user.mobile)
    assert api("get", B, "/api/v1/groups/", b_member).json() == []
    assert api("get", B, "/api/v1/projects/", b_member).json() == []
    assert api("get", B, f"/api/v1/groups/{group.pk}/", b_member).status_code == 404
    assert api("post", B, f"/api/v1/groups/{group.pk}/follow/", b_member).status_code == 404
    assert api("get", B, f"/api/v1/projects/{project.pk}/", b_member).status_code == 404
    assert api("post", B, f"/api/v1/projects/{project.pk}/join/", b_member).status_code == 404
    a_token = api_login(Client(), A, org_a.members[3].user.mobile)
    assert api("get", B, "/api/v1/groups/", a_token).status_code == 401
