import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import build_org, login
from toolkit.points.models import LedgerEntry
from toolkit.quiz import duels, selectors
from toolkit.quiz.models import Duel, DuelStatus
from toolkit.quiz.services import QuizRefused

from .conftest import bank_make, right_answer

pytestmark = pytest.mark.django_db


def _started(org):
    a, b = org.members[2], org.members[3]
    duel = duels.duel_create(challenger=a, opponent=b)
    duel = duels.duel_join(duel=duel, member=b)
    return duel, a, b


def _current(duel):
    duel.refresh_from_db()
    return duel.questions.get(position=duel.current)


def test_the_faster_correct_answer_wins_the_point_and_the_duel_pays_the_winner(bank_a):
    with schema_context("alpha"):
        duel, a, b = _started(bank_a)
        view = selectors.duel_view(duel=duel, member=a)
        assert view["question"] is None and view["starts_in"] > 0  # "get ready"
        for _n in range(duel.question_count):
            question = _current(duel)
            at = question.served_at + datetime.timedelta(seconds=1)
            shown = selectors.duel_view(duel=duel, member=a, now=at)["question"]
            assert shown["position"] == question.position and "answer" not in shown
            first = duels.duel_answer(duel=duel, member=a, position=question.position,
                                      answer=right_answer(shown, question), now=at)
            second = duels.duel_answer(duel=duel, member=b, position=question.position,
                                       answer=right_answer(shown, question),
                                       now=at + datetime.timedelta(seconds=1))
            assert (first.won, second.won, second.correct) == (True, False, True)
        duel.refresh_from_db()
        assert duel.status == DuelStatus.FINISHED
        assert (duel.challenger_score, duel.opponent_score, duel.winner_id) == (
            duel.question_count, 0, a.pk)
        entry = LedgerEntry.objects.get(member=a)
        assert (entry.rule_code, entry.amount) == ("quiz_duel", 5)
        assert not LedgerEntry.objects.filter(member=b).exists()


def test_a_question_nobody_answers_in_time_moves_on(bank_a):
    with schema_context("alpha"):
        duel, a, b = _started(bank_a)
        question = _current(duel)
        late = question.deadline + datetime.timedelta(seconds=5)
        duel = duels.duel_tick(duel=duel, member=a, now=late)
        assert duel.current == 2
        with pytest.raises(QuizRefused) as refused:
            duels.duel_answer(duel=duel, member=b, position=1, answer=[0], now=late)
        assert refused.value.code == "quiz_answer_late"
        view = selectors.duel_view(duel=duel, member=a, now=late)
        assert view["done"][0]["position"] == 1 and "answer" in view["done"][0]


def test_only_the_two_players_take_part(bank_a):
    with schema_context("alpha"):
        duel, a, b = _started(bank_a)
        outsider = bank_a.members[4]
        question = _current(duel)
        with pytest.raises(Forbidden):
            duels.duel_answer(duel=duel, member=outsider, position=1, answer=[0],
                              now=question.served_at)
        with pytest.raises(Forbidden):
            duels.duel_tick(duel=duel, member=outsider)
        invited = duels.duel_create(challenger=a, opponent=b)
        with pytest.raises(Forbidden):
            duels.duel_join(duel=invited, member=outsider)
        with pytest.raises(QuizRefused):
            duels.duel_join(duel=invited, member=a)


@pytest.mark.django_db(transaction=True)
def test_two_correct_answers_at_once_give_one_point(committed_schemas, make_company):
    make_company(name="甲公司", slug="alpha")
    org = build_org("alpha")
    bank_make("alpha")
    with schema_context("alpha"):
        duel, a, b = _started(org)
        question = _current(duel)
        at = question.served_at + datetime.timedelta(seconds=1)
        answer = [question.order.index(i) for i in question.answer] if question.order else (
            ["true" if question.answer[0] else "false"] if question.kind == "true_false"
            else [question.answer[0]])
    results, barrier = [], threading.Barrier(2)

    def play(member):
        try:
            barrier.wait()
            with schema_context("alpha"):
                results.append(duels.duel_answer(duel=duel, member=member,
                                                 position=question.position, answer=answer,
                                                 now=at).won)
        finally:
            connection.close()

    threads = [threading.Thread(target=play, args=(m,)) for m in (a, b)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [False, True]
    with schema_context("alpha"):
        duel = Duel.objects.get(pk=duel.pk)
        assert duel.challenger_score + duel.opponent_score == 1


def test_company_bs_members_see_nothing_of_as_duel(bank_a, org_b, client):
    with schema_context("alpha"):
        duel, a, b = _started(bank_a)
    login(client, "beta.localhost", org_b.members[2].user.mobile)
    for path in (f"/quiz/duels/{duel.pk}/", f"/quiz/duels/{duel.pk}/state/"):
        assert client.get(path, HTTP_HOST="beta.localhost").status_code == 404
    response = client.post(f"/quiz/duels/{duel.pk}/answer/", {"position": 1, "answer": [0]},
                           content_type="application/json", HTTP_HOST="beta.localhost")
    assert response.status_code == 404
    assert client.post(f"/quiz/duels/{duel.pk}/join/",
                       HTTP_HOST="beta.localhost").status_code == 404
    # A's player sees the game over HTTP.
    own = Client()
    login(own, "alpha.localhost", a.user.mobile)
    state = own.get(f"/quiz/duels/{duel.pk}/state/", HTTP_HOST="alpha.localhost").json()
    connection.set_schema_to_public()
    assert state["status"] == "playing" and state["challenger"]["id"] == a.pk
