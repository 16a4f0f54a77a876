import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import Workbook

from tests.toolkit.api.conftest import api_login
from toolkit.quiz.models import Attempt, AttemptQuestion, BankQuestion

pytestmark = pytest.mark.django_db
HOST = "alpha.localhost"


def _answer_for(attempt_id: int, position: int) -> list:
    with schema_context("alpha"):
        asked = AttemptQuestion.objects.get(attempt_id=attempt_id, position=position)
        if asked.kind in ("single", "multiple"):
            return [str(asked.order.index(i)) for i in asked.answer]
        if asked.kind == "true_false":
            return ["true" if asked.answer[0] else "false"]
        return [asked.answer[0]]


def test_a_member_plays_the_daily_quiz_over_the_api(bank_a, api):
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    rounds = api("get", HOST, "/api/v1/quiz/rounds/", token).json()
    daily = next(r for r in rounds if r["round"]["kind"] == "daily")
    assert daily["attempt"] is None
    started = api("post", HOST, f"/api/v1/quiz/rounds/{daily['round']['id']}/start/",
                  token).json()
    attempt_id, question = started["attempt"]["id"], started["question"]
    assert set(question) == {"position", "kind", "text", "options", "seconds", "deadline"}
    # Nothing of the answers before answering: not in the start, not in the result.
    result = api("get", HOST, f"/api/v1/quiz/attempts/{attempt_id}/", token).json()
    assert result["questions"] == []
    while question:
        body = api("post", HOST, f"/api/v1/quiz/attempts/{attempt_id}/answer/", token,
                   {"position": question["position"],
                    "answer": _answer_for(attempt_id, question["position"])}).json()
        assert body["answered"]["correct"] is True and "explanation" in body["answered"]
        question = body["next"]
    assert body["attempt"]["correct"] == 5 and body["attempt"]["points"] == 15
    result = api("get", HOST, f"/api/v1/quiz/attempts/{attempt_id}/", token).json()
    assert len(result["questions"]) == 5
    board = api("get", HOST, f"/api/v1/quiz/rounds/{daily['round']['id']}/leaderboard/",
                token).json()
    assert board[0]["member_id"] == bank_a.members[2].pk and board[0]["correct"] == 5
    again = api("post", HOST, f"/api/v1/quiz/rounds/{daily['round']['id']}/start/", token)
    assert again.status_code == 400 and again.json()["code"] == "quiz_already_played"


def test_tampered_answers_are_refused_with_their_codes(bank_a, api):
    owner = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    other = api_login(Client(), HOST, bank_a.members[3].user.mobile)
    rounds = api("get", HOST, "/api/v1/quiz/rounds/", owner).json()
    round_id = rounds[0]["round"]["id"]
    started = api("post", HOST, f"/api/v1/quiz/rounds/{round_id}/start/", owner).json()
    attempt_id = started["attempt"]["id"]

    def send(token, position, answer=("0",)):
        response = api("post", HOST, f"/api/v1/quiz/attempts/{attempt_id}/answer/", token,
                       {"position": position, "answer": list(answer)})
        return response.status_code, response.json().get("code")

    assert send(other, 1) == (400, "quiz_not_your_attempt")
    assert send(owner, 42) == (400, "quiz_question_not_drawn")
    assert send(owner, 2) == (400, "quiz_question_not_served")
    with schema_context("alpha"):  # the member sat on the first question past its time
        AttemptQuestion.objects.filter(attempt_id=attempt_id, position=1).update(
            deadline=timezone.now() - datetime.timedelta(minutes=1))
    assert send(owner, 1) == (400, "quiz_answer_late")
    # Someone else's result is not theirs to read.
    assert api("get", HOST, f"/api/v1/quiz/attempts/{attempt_id}/", other).status_code == 404


def test_special_rounds_are_the_admins_and_rounds_are_per_company(bank_a, org_b, api):
    member = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    admin = api_login(Client(), HOST, "admin")
    now = timezone.now()
    body = {"title": "党章知识竞赛", "opens_at": now.isoformat(),
            "closes_at": (now + datetime.timedelta(days=3)).isoformat(),
            "question_count": 4, "seconds_per_question": 20, "source": "own"}
    assert api("post", HOST, "/api/v1/quiz/rounds/", member, body).status_code == 403
    created = api("post", HOST, "/api/v1/quiz/rounds/", admin, body)
    assert created.status_code == 201
    round_id = created.json()["id"]
    started = api("post", HOST, f"/api/v1/quiz/rounds/{round_id}/start/", member).json()
    # Company B: A's round, attempt and leaderboard are nothing; its own list is its own.
    token_b = api_login(Client(), "beta.localhost", org_b.members[2].user.mobile)
    for method, path in (("post", f"/api/v1/quiz/rounds/{round_id}/start/"),
                         ("get", f"/api/v1/quiz/rounds/{round_id}/leaderboard/"),
                         ("get", f"/api/v1/quiz/attempts/{started['attempt']['id']}/"),
                         ("post", f"/api/v1/quiz/attempts/{started['attempt']['id']}/answer/")):
        response = api(method, "beta.localhost", path, token_b,
                       {"position": 1, "answer": ["0"]} if "answer" in path else None)
        assert response.status_code == 404, path
    titles = [r["round"]["title"] for r in api("get", "beta.localhost", "/api/v1/quiz/rounds/",
                                               token_b).json()]
    assert "党章知识竞赛" not in titles
    with schema_context("beta"):
        assert not Attempt.objects.exists()


def test_a_duel_over_the_api(bank_a, api):
    a = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    b = api_login(Client(), HOST, bank_a.members[3].user.mobile)
    c = api_login(Client(), HOST, bank_a.members[4].user.mobile)
    duel = api("post", HOST, "/api/v1/quiz/duels/", a,
               {"opponent": bank_a.members[3].pk}).json()
    assert duel["status"] == "waiting"
    assert api("post", HOST, f"/api/v1/quiz/duels/{duel['id']}/join/", c).status_code == 403
    joined = api("post", HOST, f"/api/v1/quiz/duels/{duel['id']}/join/", b).json()
    assert joined["status"] == "playing"
    assert api("get", HOST, f"/api/v1/quiz/duels/{duel['id']}/", c).status_code == 404
    state = api("get", HOST, f"/api/v1/quiz/duels/{duel['id']}/", a).json()
    assert state["question"] is None and state["starts_in"] > 0


def _bank_file(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案",
                  "解析"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile("bank.xlsx", data.getvalue())


def _bank_import(host: str, token: str, upload) -> tuple[int, dict]:
    response = Client().post("/api/v1/quiz/bank/import/", {"file": upload}, HTTP_HOST=host,
                             HTTP_AUTHORIZATION=f"Token {token}")
    connection.set_schema_to_public()
    return response.status_code, response.json()


BANK_ROWS = [["单选题", "党的最高领导机关是？", "全国代表大会和中央委员会", "国务院", "", "", "",
              "", "A", "党章第十条"],
             ["判断题", "预备党员的预备期为一年。", "", "", "", "", "", "", "对", "党章第七条"],
             ["单选题", "缺答案的题", "甲", "乙", "", "", "", "", "", ""],
             ["问答题", "不认识的题型", "", "", "", "", "", "", "x", ""]]


def test_the_admin_imports_the_bank_over_the_api_with_errors_by_row(org_a):
    admin = api_login(Client(), HOST, "admin")
    status, body = _bank_import(HOST, admin, _bank_file(BANK_ROWS))
    assert status == 200, body
    assert (body["created"], body["skipped"], body["total"]) == (2, 0, 4)
    assert [e["row"] for e in body["errors"]] == [4, 5]
    assert body["errors"][0]["text"] == "缺答案的题" and "缺少答案" in body["errors"][0]["message"]
    status, body = _bank_import(HOST, admin, _bank_file(BANK_ROWS))  # the same file again
    assert (status, body["created"], body["skipped"]) == (200, 0, 2)
    with schema_context("alpha"):
        assert BankQuestion.objects.count() == 2
    status, body = _bank_import(HOST, admin, SimpleUploadedFile("bank.csv", b"a,b\n1,2\n"))
    assert (status, body["code"]) == (400, "question_file_type")


def test_the_bank_import_is_the_admins_and_the_companys_own(org_a, org_b):
    member = api_login(Client(), HOST, org_a.members[2].user.mobile)
    status, body = _bank_import(HOST, member, _bank_file(BANK_ROWS))
    assert status == 403
    admin_a = api_login(Client(), HOST, "admin")
    assert _bank_import("beta.localhost", admin_a, _bank_file(BANK_ROWS))[0] == 401
    admin_b = api_login(Client(), "beta.localhost", "admin")
    status, body = _bank_import("beta.localhost", admin_b, _bank_file(BANK_ROWS))
    assert (status, body["created"]) == (200, 2)
    with schema_context("alpha"):
        assert not BankQuestion.objects.exists()
    with schema_context("beta"):
        assert BankQuestion.objects.count() == 2
