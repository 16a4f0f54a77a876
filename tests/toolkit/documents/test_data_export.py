"""Data portability: a company's admin downloads the company's own data as xlsx (every table a
sheet, no secrets) and PDF; members cannot; company B's export holds nothing of A's."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.toolkit.conftest import login


def test_the_admin_gets_every_table_as_a_sheet_without_secrets(client, org_a, org_b):
    login(client, "alpha.localhost", "admin")
    response = client.get("/documents/export/data.xlsx", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert {"accounts.user", "org.member", "org.orgunit", "points.ledgerentry"} <= set(
        book.sheetnames)
    secrets = {"sessions.session", "knox.authtoken", "accounts.smscode", "accounts.activationcode"}
    assert not secrets & set(book.sheetnames)
    users = list(book["accounts.user"].iter_rows(values_only=True))
    assert "password" not in users[0] and "full_name" in users[0]
    names = {row[users[0].index("full_name")] for row in users[1:]}
    assert names == {org_a.admin.full_name, *(m.user.full_name for m in org_a.members)}
    assert org_b.admin.full_name not in names  # B's rows are B's
    assert len(list(book["org.member"].iter_rows())) == len(org_a.members) + 1


def test_the_pdf_lists_the_data_sets_and_the_member_roll(client, org_a):
    login(client, "alpha.localhost", "admin")
    response = client.get("/documents/export/data.pdf", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "本公司数据导出" in text and "甲公司" in text
    assert org_a.members[0].user.full_name in text and "org.member" in text


def test_members_cannot_export(client, org_a):
    login(client, "alpha.localhost", org_a.members[-1].user.username)
    for path in ("/documents/export/data.xlsx", "/documents/export/data.pdf"):
        assert client.get(path, HTTP_HOST="alpha.localhost").status_code == 403
