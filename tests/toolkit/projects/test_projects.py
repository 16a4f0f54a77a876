import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from core.errors import Forbidden
from onboarding.models import ProjectFigureTotal
from onboarding.selectors import project_aggregates
from tests.toolkit.conftest import login
from toolkit.points.models import LedgerEntry, PointRule
from toolkit.projects import selectors, services
from toolkit.projects.models import FigureKind, ProjectKind, Report
from toolkit.uploads import UploadRefused

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TODAY = datetime.date.today()


def _project(org, *, share=False):
    """A 百县千品 project with two figures (斤 sold, sales in 元) and members 2 and 3 in it."""
    with schema_context(org.schema):
        project = services.project_create(
            by=org.admin, name="百县千品·高山茶", kind=ProjectKind.COUNTY_PRODUCTS,
            goal="帮助对口县销售农产品", starts_on=TODAY - datetime.timedelta(days=30),
            ends_on=TODAY + datetime.timedelta(days=300))
        jin = services.figure_define(by=org.admin, project=project, name="销售量", unit="斤",
                                     kind=FigureKind.WEIGHT)
        cny = services.figure_define(by=org.admin, project=project, name="销售额", unit="元",
                                     kind=FigureKind.MONEY, target=Decimal("100000"))
        for member in org.members[2:4]:
            services.participant_add(by=member.user, project=project, member=member)
        if share:
            services.sharing_set(by=org.admin, share=True)
    return project, jin, cny


def _report(org, project, member, values, files=None):
    with schema_context(org.schema):
        return services.report_submit(
            by=member.user, project=project, occurred_on=TODAY, note="直播带货",
            values=values,
            files=[SimpleUploadedFile("订单.png", PNG)] if files is None else files)


def test_reports_add_to_the_figures_and_pay_points_through_the_hub(org_a):
    project, jin, cny = _project(org_a)
    _report(org_a, project, org_a.members[2], {jin.pk: Decimal("120.5"), cny.pk: Decimal("3000")})
    _report(org_a, project, org_a.members[3], {jin.pk: Decimal("80")})
    with schema_context("alpha"):
        totals = {f.name: f.total for f in selectors.figures_with_totals(project=project)}
        assert totals == {"销售量": Decimal("200.5"), "销售额": Decimal("3000")}
        entry = LedgerEntry.objects.get(member=org_a.members[2])
        assert entry.rule_code == "project_participation" and entry.category == "contribution"
        assert entry.amount == PointRule.objects.get(code="project_participation").points


def test_the_rule_caps_participation_points(org_a):
    project, jin, _cny = _project(org_a)
    with schema_context("alpha"):
        PointRule.objects.filter(code="project_participation").update(points=5, daily_cap=5)
    for _ in range(3):
        _report(org_a, project, org_a.members[2], {jin.pk: Decimal("1")})
    with schema_context("alpha"):
        assert sum(LedgerEntry.objects.filter(member=org_a.members[2])
                   .values_list("amount", flat=True)) == 5
        assert Report.objects.count() == 3


def test_only_participants_report_with_evidence_checked_by_content(org_a):
    project, jin, _cny = _project(org_a)
    with pytest.raises(Forbidden):
        _report(org_a, project, org_a.members[4], {jin.pk: Decimal("1")})
    with pytest.raises(UploadRefused):
        _report(org_a, project, org_a.members[2], {jin.pk: Decimal("1")},
                files=[SimpleUploadedFile("订单.png", b"<html>not an image</html>")])
    with pytest.raises(services.ProjectRefused) as refused:
        _report(org_a, project, org_a.members[2], {jin.pk: Decimal("1")}, files=[])
    assert refused.value.code == "report_evidence_missing"
    with schema_context("alpha"):
        assert not Report.objects.exists() and not LedgerEntry.objects.exists()


def test_the_incubator_sums_only_the_companies_that_share(org_a, org_b, make_company):
    from tests.toolkit.conftest import build_org

    make_company(name="丙公司", slug="gamma")
    org_c = build_org("gamma")
    pa, jin_a, _ = _project(org_a, share=True)
    pb, jin_b, _ = _project(org_b, share=True)
    pc, jin_c, _ = _project(org_c)  # does not share
    _report(org_a, pa, org_a.members[2], {jin_a.pk: Decimal("100")})
    _report(org_b, pb, org_b.members[2], {jin_b.pk: Decimal("50")})
    _report(org_c, pc, org_c.members[2], {jin_c.pk: Decimal("999")})
    rows = {(r.name, r.unit): r for r in project_aggregates()}
    assert rows[("销售量", "斤")].total == Decimal("150")
    assert rows[("销售量", "斤")].companies == 2
    with schema_context("beta"):
        services.sharing_set(by=org_b.admin, share=False)  # opting out takes its rows away
    assert {r.name: r.total for r in project_aggregates()}["销售量"] == Decimal("100")
    assert not ProjectFigureTotal.objects.filter(company__schema_name="beta").exists()


def test_staff_see_the_aggregate_page(org_a, client):
    from accounts.models import Role
    from accounts.services import user_create

    project, jin, _ = _project(org_a, share=True)
    _report(org_a, project, org_a.members[2], {jin.pk: Decimal("42")})
    user_create(username="staff", password="pw-123456", full_name="孵化器员工", role=Role.STAFF)
    client.post("/login/", {"username": "staff", "password": "pw-123456"}, HTTP_HOST="localhost")
    page = client.get("/projects/", HTTP_HOST="localhost")
    assert page.status_code == 200
    assert "42" in page.content.decode() and "百县千品" in page.content.decode()


def test_company_page_totals_and_isolation(org_a, org_b, client,
                                           django_capture_on_commit_callbacks):
    project, jin, _ = _project(org_a)
    with django_capture_on_commit_callbacks(execute=True):  # the file is written on commit
        report = _report(org_a, project, org_a.members[2], {jin.pk: Decimal("7")})
    with schema_context("alpha"):
        evidence = report.evidence.get()
    login(client, A, org_a.members[2].user.mobile)
    assert "销售量" in client.get("/projects/", HTTP_HOST=A).content.decode()
    assert client.get(f"/projects/evidence/{evidence.pk}/", HTTP_HOST=A).status_code == 200
    client.logout()
    login(client, A, org_a.members[5].user.mobile)  # a colleague outside the report
    assert client.get(f"/projects/evidence/{evidence.pk}/", HTTP_HOST=A).status_code == 403
    client.logout()
    login(client, B, org_b.members[2].user.mobile)
    assert "销售量" not in client.get("/projects/", HTTP_HOST=B).content.decode()
    assert client.get(f"/projects/{project.pk}/", HTTP_HOST=B).status_code == 404
    assert client.get(f"/projects/evidence/{evidence.pk}/", HTTP_HOST=B).status_code == 404
