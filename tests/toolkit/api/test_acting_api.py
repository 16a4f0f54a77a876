"""今天我来当书记 over the API and the pages: apply, decide, assign, the duty log; roles; and
company B knows nothing of company A's applications."""

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.conftest import login
from toolkit.acting import services
from toolkit.acting.models import ActingApplication
from toolkit.org.models import ActingSecretary
from toolkit.periods import add_months, month_start

A, B = "alpha.localhost", "beta.localhost"


def test_apply_decide_and_log_through_the_api(org_a, api):
    m = org_a.members
    next_month = add_months(month_start(timezone.localdate()), 1)
    member = api_login(Client(), A, m[2].user.mobile)
    applied = api("post", A, "/api/v1/acting/apply/", member, {
        "unit_id": org_a.branches[0].pk, "month": next_month.isoformat(), "note": "想试试"})
    assert applied.status_code == 201, applied.content
    application_id = applied.json()["id"]
    secretary = api_login(Client(), A, m[0].user.mobile)  # a branch secretary: not the office
    assert api("post", A, f"/api/v1/acting/applications/{application_id}/decide/", secretary,
               {"approve": True}).status_code == 403
    with schema_context("alpha"):
        application = ActingApplication.objects.get(pk=application_id)
        services.acting_decide(application=application, by=org_a.admin, approve=True)
    schedule = api("get", A, "/api/v1/acting/schedule/", secretary).json()["results"]
    assert [(r["member_id"], r["month"]) for r in schedule] == [(m[2].pk, next_month.isoformat())]
    # This month: assigned by the admin; the duty log scores.
    with schema_context("alpha"):
        services.acting_appoint(unit=org_a.branches[1], member=m[3],
                                month=month_start(timezone.localdate()), by=org_a.admin)
    acting = api_login(Client(), A, m[3].user.mobile)
    logged = api("post", A, "/api/v1/acting/duty/", acting, {"kind": "meeting",
                                                            "text": "主持支委会"})
    assert logged.status_code == 201 and logged.json()["points"] == 5
    assert len(api("get", A, "/api/v1/acting/duty/", acting).json()) == 1
    refused = api("post", A, "/api/v1/acting/duty/", member, {"kind": "note", "text": "x"})
    assert refused.status_code == 400 and refused.json()["code"] == "acting_not_on_duty"


def test_the_admin_assigns_on_the_page_and_the_schedule_shows_it(client, org_a):
    m = org_a.members
    month = month_start(timezone.localdate())
    login(client, A, "admin")
    response = client.post("/acting/assign/", {"unit": org_a.committee.pk, "member": m[4].pk,
                                               "month": month.isoformat()}, HTTP_HOST=A)
    assert response.status_code == 302
    page = client.get("/acting/", HTTP_HOST=A).content.decode()
    assert m[4].user.full_name in page
    with schema_context("alpha"):
        assert ActingSecretary.objects.get(month=month).unit == org_a.committee


def test_company_b_knows_nothing_of_company_as_applications(org_a, org_b, api):
    next_month = add_months(month_start(timezone.localdate()), 1)
    with schema_context("alpha"):
        application = services.acting_apply(member=org_a.members[2], unit=org_a.branches[0],
                                            month=next_month)
    with schema_context("beta"):
        top = org_b.members[5]
        top.unit, top.position = org_b.committee, "secretary"
        top.save()
    token_b = api_login(Client(), B, org_b.members[5].user.mobile)
    assert api("post", B, f"/api/v1/acting/applications/{application.pk}/decide/", token_b,
               {"approve": True}).status_code == 404
    assert api("get", B, "/api/v1/acting/applications/", token_b).json() == []
    assert api("get", B, "/api/v1/acting/schedule/", token_b).json()["results"] == []
    client = Client()
    login(client, B, "admin")
    assert client.post(f"/acting/applications/{application.pk}/decide/", {"approve": "1"},
                       HTTP_HOST=B).status_code == 404
    with schema_context("alpha"):
        application.refresh_from_db()
        assert application.status == "pending"
