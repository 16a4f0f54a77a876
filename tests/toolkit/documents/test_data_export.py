"""Data portability: a company's admin downloads the company's own data as xlsx (every table a
sheet, no secrets) and PDF; members cannot; company B's export holds nothing of A's."""

import io
import re

from django.utils import translation
from django.utils.text import camel_case_to_spaces
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.toolkit.conftest import login
from toolkit.documents.portability import _columns, portability_models, portability_xlsx

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _exported_names():
    """(table, column or None for the table itself, name) for every exported table and every
    column but the id: what the data dictionary prints, in the language now active."""
    for model in portability_models():
        meta = model._meta
        yield meta.label_lower, None, str(meta.verbose_name)
        yield meta.label_lower, None, str(meta.verbose_name_plural)
        for field in _columns(model):
            if not field.auto_created:  # the id column
                yield meta.label_lower, field.name, str(field.verbose_name)


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


def test_every_exported_table_and_column_has_a_chinese_name_and_an_english_one():
    """A new model or field without its own name shows English auto-names (`created at`,
    `member`) in the Chinese data dictionary; one whose name has no English translation
    shows Chinese in the English one."""
    with translation.override("zh-hans"):
        for model in portability_models():
            meta = model._meta
            name, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
            assert name != camel_case_to_spaces(model.__name__), meta.label_lower
            assert plural != f"{name}s", meta.label_lower
        names = list(_exported_names())
        assert len(names) > 300  # every app's tables, not a few
        for table, column, name in names:
            assert CHINESE.search(name), (table, column, name)
    with translation.override("en"):
        for table, column, name in _exported_names():
            assert not CHINESE.search(name), (table, column, name)


def test_the_xlsx_says_in_chinese_what_each_table_and_column_is(client, org_a):
    login(client, "alpha.localhost", "admin")
    response = client.get("/documents/export/data.xlsx", HTTP_HOST="alpha.localhost")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[0] == "数据说明"
    rows = list(book["数据说明"].iter_rows(values_only=True))
    assert rows[0] == ("表", "数据", "列", "列名")
    assert ("points.ledgerentry", "积分流水", "amount", "积分变动") in rows
    assert ("points.ledgerentry", "积分流水", "member_id", "党员") in rows
    assert ("quiz.attempt", "答题记录", "correct", "答对题数") in rows
    assert ("learning.lessonprogress", "课时进度", "watched_seconds", "已学时长（秒）") in rows
    assert ("documents.handbookdownload", "手册下载记录", "at", "下载时间") in rows
    assert ("arena.claim", "任务认领", "reviewed_by_id", "审核人") in rows
    assert ("life.leaverequest", "请假申请", "created_at", "申请时间") in rows
    # Every column of every data sheet is explained, and none in English.
    explained = {(table, column) for table, _name, column, _label in rows[1:]}
    tables = {table[:31]: table for table, _column in explained}  # xlsx cuts sheet names at 31
    assert set(book.sheetnames[1:]) <= set(tables)
    for sheet in book.sheetnames[1:]:
        header = next(book[sheet].iter_rows(values_only=True))
        assert {(tables[sheet], column) for column in header} <= explained
    for table, name, column, label in rows[1:]:
        if column != "id":
            assert CHINESE.search(name) and CHINESE.search(label), (table, column)


def test_the_pdf_lists_the_data_sets_and_the_member_roll(client, org_a):
    login(client, "alpha.localhost", "admin")
    response = client.get("/documents/export/data.pdf", HTTP_HOST="alpha.localhost")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "本公司数据导出" in text and "甲公司" in text
    assert org_a.members[0].user.full_name in text and "org.member" in text
    assert "积分流水" in text and "答题记录" in text  # the data sets by their Chinese names


def test_members_cannot_export(client, org_a):
    login(client, "alpha.localhost", org_a.members[-1].user.username)
    for path in ("/documents/export/data.xlsx", "/documents/export/data.pdf"):
        assert client.get(path, HTTP_HOST="alpha.localhost").status_code == 403


def test_the_english_dictionary_reads_as_titles(org_a):
    """Django keeps English names lowercase ("group members"); the dictionary capitalises them,
    as its admin does."""
    with schema_context("alpha"), translation.override("en"):
        book = load_workbook(io.BytesIO(portability_xlsx()), read_only=True)
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    assert book.sheetnames[0] != "数据说明" and len(rows) > 300
    for table, name, column, column_name in rows[1:]:
        assert not name[0].islower() and not column_name[0].islower(), (table, column)
    assert ("groups.membership", "Group members") in {row[:2] for row in rows}
