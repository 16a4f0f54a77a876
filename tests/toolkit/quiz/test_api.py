import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from toolkit.quiz.models import Attempt, AttemptQuestion

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
