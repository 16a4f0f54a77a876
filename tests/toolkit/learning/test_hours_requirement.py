"""The yearly 学时 requirement is the company's to edit: lowering or raising the members' and
the leaders' figures (the learning settings form) changes who is behind, on the admin's page
and in the export; a figure out of range is refused; another company keeps its own."""

import io
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tests.toolkit.conftest import build_org, login
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import HoursSource, LearningSettings

HOST = "alpha.localhost"


def _credit(org, hours_by_index):
    with schema_context(org.schema):
        for index, hours in hours_by_index.items():
            hours_credit(member=org.members[index], hours=Decimal(hours),
                         source=HoursSource.EXTERNAL, title="党校培训",
                         occurred_on=timezone.localdate())
    connection.set_schema_to_public()


def _behind(client) -> set[str]:
    response = client.get("/learning/manage/hours/", HTTP_HOST=HOST)
    connection.set_schema_to_public()
    names = {s.member.user.get_full_name() for _name, rows, _n in response.context["branches"]
             for s in rows if s.behind}
    assert response.context["behind"] == len(names)
    return names


def _save(client, **figures):
    response = client.post("/learning/manage/", {"remind_days_before": 3, **figures},
                           HTTP_HOST=HOST)
    connection.set_schema_to_public()
    return response


def _names(org, indexes):
    return {org.members[i].user.get_full_name() for i in indexes}


def test_editing_the_requirement_changes_who_is_behind(client, org_a):
    # members[0] and [1] are branch secretaries (leaders); the others are members.
    _credit(org_a, {0: 40, 2: 40, 3: 20})
    login(client, HOST, "admin")
    # The national plan's defaults: members 32, leaders 56.
    assert _behind(client) == _names(org_a, [0, 1, 3, 4, 5])
    assert _save(client, member_hours=20, leader_hours=40).status_code == 302
    assert _behind(client) == _names(org_a, [1, 4, 5])
    export = client.get("/learning/manage/hours/export.xlsx", HTTP_HOST=HOST)
    rows = {r[1]: r for r in load_workbook(io.BytesIO(export.content)).active
            .iter_rows(min_row=2, values_only=True)}
    assert rows[org_a.members[0].user.get_full_name()][3:] == (40, 40, 0)
    assert rows[org_a.members[3].user.get_full_name()][3:] == (20, 20, 0)
    assert rows[org_a.members[4].user.get_full_name()][3:] == (0, 20, 20)
    connection.set_schema_to_public()
    assert _save(client, member_hours=45, leader_hours=40).status_code == 302
    assert _behind(client) == _names(org_a, [1, 2, 3, 4, 5])


def test_a_requirement_out_of_range_is_refused(client, org_a):
    login(client, HOST, "admin")
    for figures in ({"member_hours": -1, "leader_hours": 56},
                    {"member_hours": 32, "leader_hours": 1000}):
        response = _save(client, **figures)
        assert response.status_code == 200 and response.context["form"].errors
    with schema_context("alpha"):
        row = LearningSettings.objects.get_or_create(pk=1)[0]
        assert (row.member_hours, row.leader_hours) == (32, 56)


def test_another_company_keeps_its_own_requirement(client, org_a, make_company):
    make_company(name="乙公司", slug="beta")
    build_org("beta")
    login(client, HOST, "admin")
    assert _save(client, member_hours=10, leader_hours=12).status_code == 302
    with schema_context("beta"):
        row = LearningSettings.objects.get_or_create(pk=1)[0]
        assert (row.member_hours, row.leader_hours) == (32, 56)
