import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from openpyxl import Workbook

from tests.toolkit.conftest import login
from toolkit.quiz import services
from toolkit.quiz.models import AttemptQuestion, BankQuestion, RoundKind

pytestmark = pytest.mark.django_db
HOST = "alpha.localhost"


def _get(client, path, host=HOST):
    response = client.get(path, HTTP_HOST=host)
    connection.set_schema_to_public()
    return response


def _post(client, path, data, host=HOST):
    response = client.post(path, data, HTTP_HOST=host)
    connection.set_schema_to_public()
    return response


def test_the_daily_quiz_is_played_page_by_page_without_the_answers_in_the_page(bank_a, client):
    login(client, HOST, bank_a.members[2].user.mobile)
    home = _get(client, "/quiz/")
    assert home.status_code == 200 and "每日一答" in home.content.decode()
    with schema_context("alpha"):
        daily = services.round_current(kind=RoundKind.DAILY)
    assert _post(client, f"/quiz/rounds/{daily.pk}/start/", {}).status_code == 302
    for position in range(1, 6):
        page = _get(client, f"/quiz/rounds/{daily.pk}/play/").content.decode()
        with schema_context("alpha"):
            asked = AttemptQuestion.objects.get(attempt__member=bank_a.members[2],
                                                position=position)
        assert asked.text in page and asked.explanation not in page
        if asked.kind in ("single", "multiple"):
            answer = [asked.order.index(i) for i in asked.answer]
        elif asked.kind == "true_false":
            answer = ["true" if asked.answer[0] else "false"]
        else:
            answer = [asked.answer[0]]
        shown = _post(client, f"/quiz/rounds/{daily.pk}/play/",
                      {"position": position, "answer": answer}).content.decode()
        assert "回答正确" in shown
        assert asked.explanation in shown
    assert "本轮答对 5/5，获得 15 积分" in shown
    result = _get(client, f"/quiz/rounds/{daily.pk}/result/").content.decode()
    assert "本轮答对 5/5" in result and bank_a.members[2].user.full_name in result
    # A second attempt: refused, nothing drawn again.
    again = _post(client, f"/quiz/rounds/{daily.pk}/start/", {})
    assert again.status_code == 302 and again.url == "/quiz/"
    assert _get(client, f"/quiz/rounds/{daily.pk}/play/").url.endswith("/result/")


def test_company_bs_pages_know_nothing_of_as_rounds(bank_a, org_b, client):
    with schema_context("alpha"):
        daily = services.round_current(kind=RoundKind.DAILY)
        weekly = services.round_current(kind=RoundKind.WEEKLY)
    login(client, "beta.localhost", org_b.members[2].user.mobile)
    # B has opened no round yet: A's rounds, by id, are nothing on B's host.
    for quiz_round in (daily, weekly):
        for page in ("play", "result", "start"):
            path = f"/quiz/rounds/{quiz_round.pk}/{page}/"
            send = _post if page == "start" else _get
            args = (path, {}, "beta.localhost") if page == "start" else (path, "beta.localhost")
            assert send(client, *args).status_code == 404
    # B's own quiz draws from B's banks only (B has none yet).
    assert "每日一答" in _get(client, "/quiz/", "beta.localhost").content.decode()
    with schema_context("beta"):
        assert not BankQuestion.objects.exists()


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案",
                  "解析"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("bank.xlsx", data.getvalue())


def test_the_admin_imports_a_bank_with_errors_by_row(org_a, client):
    login(client, HOST, "admin")
    rows = [["单选题", "党的最高领导机关是？", "全国代表大会和中央委员会", "国务院", "", "", "",
             "", "A", "党章第十条"],
            ["判断题", "预备党员的预备期为一年。", "", "", "", "", "", "", "对", "党章第七条"],
            ["单选题", "缺答案的题", "甲", "乙", "", "", "", "", "", ""],
            ["问答题", "不认识的题型", "", "", "", "", "", "", "x", ""]]
    page = _post(client, "/quiz/manage/import/", {"file": _xlsx(rows)}).content.decode()
    assert "已导入 2 题，跳过重复 0 题，2 行有错误未导入。" in page
    errors = re.findall(r"<tr><td>(\d+)</td>", page)
    assert errors == ["4", "5"]
    assert "缺少答案" in page
    page = _post(client, "/quiz/manage/import/", {"file": _xlsx(rows)}).content.decode()
    assert "已导入 0 题，跳过重复 2 题" in page
    with schema_context("alpha"):
        assert BankQuestion.objects.count() == 2


def test_members_cannot_manage_the_bank(bank_a, client):
    login(client, HOST, bank_a.members[2].user.mobile)
    assert _get(client, "/quiz/manage/").status_code == 403


def _wrong(asked: AttemptQuestion) -> list:
    if asked.kind in ("single", "multiple"):
        right = {asked.order.index(i) for i in asked.answer}
        return [next(p for p in range(len(asked.order)) if p not in right)]
    if asked.kind == "true_false":
        return ["false" if asked.answer[0] else "true"]
    return ["不知道"]


def test_the_result_shows_the_members_own_answer_beside_the_right_one(bank_a, client):
    """Issue 12: round results show the member's answers with explanations, so a wrong
    answer is shown as given, next to the right one."""
    login(client, HOST, bank_a.members[3].user.mobile)
    with schema_context("alpha"):
        daily = services.round_current(kind=RoundKind.DAILY)
    _post(client, f"/quiz/rounds/{daily.pk}/start/", {})
    wrong_texts = []
    for position in range(1, 6):
        _get(client, f"/quiz/rounds/{daily.pk}/play/")
        with schema_context("alpha"):
            asked = AttemptQuestion.objects.get(attempt__member=bank_a.members[3],
                                                position=position)
        shown = _post(client, f"/quiz/rounds/{daily.pk}/play/",
                      {"position": position, "answer": _wrong(asked)}).content.decode()
        assert "回答错误" in shown
        with schema_context("alpha"):
            asked.refresh_from_db()
            if asked.kind in ("single", "multiple"):
                given = asked.options[asked.given[0]]
            elif asked.kind == "true_false":
                given = "对" if asked.given[0] else "错"
            else:
                given = asked.given[0]
        assert re.search(r"你的答案：[^<]*" + re.escape(given), shown)
        wrong_texts.append(given)
    result = _get(client, f"/quiz/rounds/{daily.pk}/result/").content.decode()
    assert "本轮答对 0/5" in result
    assert result.count("你的答案：") == 5
    for given in wrong_texts:
        assert re.search(r"你的答案：[^<]*" + re.escape(given), result)
