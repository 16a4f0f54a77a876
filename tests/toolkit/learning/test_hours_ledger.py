"""The 学时 ledger: append-only in the database, a member's yearly progress, the admin's
external credits with checked evidence, who is behind by branch, the xlsx export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tests.toolkit.conftest import login
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import HoursEntry, HoursSource

HOST = "alpha.localhost"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_ledger_refuses_update_and_delete(org_a):
    with schema_context("alpha"):
        entry = hours_credit(member=org_a.members[2], hours=Decimal(2),
                             source=HoursSource.EXTERNAL, title="党校",
                             occurred_on=timezone.localdate())
        for statement in ("UPDATE learning_hoursentry SET hours = 99 WHERE id = %s",
                          "DELETE FROM learning_hoursentry WHERE id = %s"):
            with pytest.raises(DatabaseError), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(statement, [entry.pk])
        assert HoursEntry.objects.get(pk=entry.pk).hours == 2


def test_member_sees_their_hours_against_the_requirement(client, org_a):
    member, other = org_a.members[3], org_a.members[4]
    with schema_context("alpha"):
        hours_credit(member=member, hours=Decimal(8), source=HoursSource.EXTERNAL,
                     title="市委党校培训", occurred_on=timezone.localdate())
        hours_credit(member=other, hours=Decimal(5), source=HoursSource.EXTERNAL,
                     title="别人的培训", occurred_on=timezone.localdate())
    login(client, HOST, member.user.username)
    page = client.get("/learning/hours/", HTTP_HOST=HOST).content.decode()
    assert "市委党校培训" in page and "别人的培训" not in page
    assert 'id="hours-total">8.0<' in page and "32.0" in page


def test_admin_credits_external_training_with_checked_evidence(client, org_a):
    login(client, HOST, "admin")
    member = org_a.members[2]
    data = {"member": member.pk, "hours": "4", "occurred_on": timezone.localdate().isoformat(),
            "title": "外部党课"}
    disguised = SimpleUploadedFile("proof.png", b"MZ\x90\x00 not an image", "image/png")
    refused = client.post("/learning/manage/hours/credit/", {**data, "evidence": disguised},
                          HTTP_HOST=HOST)
    assert refused.status_code == 200 and "不是允许的文件类型" in refused.content.decode()
    connection.set_schema_to_public()
    proof = SimpleUploadedFile("proof.png", PNG, "image/png")
    done = client.post("/learning/manage/hours/credit/", {**data, "evidence": proof},
                       HTTP_HOST=HOST)
    assert done.status_code == 302
    connection.set_schema_to_public()
    with schema_context("alpha"):
        entry = HoursEntry.objects.get(member=member)
        assert entry.source == HoursSource.EXTERNAL and entry.evidence.name
        assert entry.created_by.username == "admin"


def test_admin_sees_who_is_behind_by_branch_and_exports_it(client, org_a):
    secretary, member = org_a.members[0], org_a.members[2]
    with schema_context("alpha"):
        hours_credit(member=member, hours=Decimal(32), source=HoursSource.EXTERNAL,
                     title="全年学习", occurred_on=timezone.localdate())
        hours_credit(member=secretary, hours=Decimal(40), source=HoursSource.EXTERNAL,
                     title="全年学习", occurred_on=timezone.localdate())
    login(client, HOST, "admin")
    page = client.get("/learning/manage/hours/", HTTP_HOST=HOST).content.decode()
    assert "第1党支部" in page and "40.0 / 56.0" in page and "32.0 / 32.0" in page
    response = client.get("/learning/manage/hours/export.xlsx", HTTP_HOST=HOST)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name[secretary.user.full_name][3:] == (40, 56, 16)
    assert by_name[member.user.full_name][3:] == (32, 32, 0)
    assert len(rows) == 1 + len(org_a.members)


def test_a_member_cannot_open_the_admins_pages(client, org_a):
    login(client, HOST, org_a.members[2].user.username)
    for url in ("/learning/manage/", "/learning/manage/hours/",
                "/learning/manage/hours/export.xlsx", "/learning/manage/hours/credit/"):
        assert client.get(url, HTTP_HOST=HOST).status_code == 403, url


def test_the_hours_export_keeps_a_formula_like_name_as_text(client, org_a):
    """Names are typed by people: one that starts with "=" is a text cell in the admin's
    spreadsheet, not a formula that runs when it opens."""
    member = org_a.members[2]
    with schema_context("alpha"):
        member.user.full_name = "=cmd|' /C calc'!A0"
        member.user.save(update_fields=["full_name"])
    login(client, HOST, "admin")
    response = client.get("/learning/manage/hours/export.xlsx", HTTP_HOST=HOST)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)
             if row[1].value == "=cmd|' /C calc'!A0"]
    assert len(cells) == 1 and cells[0].data_type == "s"
