"""The answer path every player takes once per question (docs/decisions/0033): what it costs
in statements, and that what it remembers (the token with its user and member, the company's
billing answer) stays per company and is forgotten when it changes."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from billing import services as billing_services
from billing.models import SponsoredPeriod
from tenants.models import Company
from tests.toolkit.api.conftest import api_login
from toolkit.org.models import Member
from toolkit.quiz import services
from toolkit.quiz.models import AttemptQuestion, Source

pytestmark = pytest.mark.django_db
HOST = "alpha.localhost"


def _special_round(count: int = 6):
    with schema_context("alpha"):
        now = timezone.now()
        return services.round_publish(title="专题", opens_at=now,
                                      closes_at=now + datetime.timedelta(hours=1),
                                      question_count=count, seconds_per_question=60,
                                      source=Source.OWN)


def _answer(api, token, attempt_id, position):
    return api("post", HOST, f"/api/v1/quiz/attempts/{attempt_id}/answer/", token,
               {"position": position, "answer": ["0"]})


def test_an_answer_reads_no_token_billing_or_member_row_and_is_two_statements(bank_a, api):
    quiz_round = _special_round()
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    started = api("post", HOST, f"/api/v1/quiz/rounds/{quiz_round.pk}/start/", token).json()
    attempt_id = started["attempt"]["id"]
    assert _answer(api, token, attempt_id, 1).status_code == 200  # the token is remembered
    with CaptureQueriesContext(connection) as queries:
        response = _answer(api, token, attempt_id, 2)
    assert response.status_code == 200 and response.json()["next"]["position"] == 3
    statements = [q["sql"] for q in queries.captured_queries]
    listing = "\n".join(statements)
    # The host's company (as every request), the company's search path, the answer's own two
    # statements in their transaction (a savepoint here: the test runs in a transaction).
    assert len(statements) == 7, listing
    assert not [s for s in statements if any(table in s for table in (
        "knox_authtoken", "accounts_user", "billing_", "org_member"))], listing
    quiz = [s for s in statements if "quiz_" in s]
    assert len(quiz) == 2 and "FOR UPDATE OF a" in quiz[0], listing


def test_a_malformed_answer_is_refused_by_field(bank_a, api):
    quiz_round = _special_round()
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    started = api("post", HOST, f"/api/v1/quiz/rounds/{quiz_round.pk}/start/", token).json()
    bad = api("post", HOST, f"/api/v1/quiz/attempts/{started['attempt']['id']}/answer/",
              token, {"position": "first", "answer": ["0"] * 11})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"position", "answer"}
    missing = api("post", HOST, f"/api/v1/quiz/attempts/{started['attempt']['id']}/answer/",
                  token, {})
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"position",
                                                                             "answer"}


def test_the_written_out_pair_read_is_the_orms(bank_a):
    quiz_round = _special_round(count=4)
    with schema_context("alpha"):
        attempt = services.attempt_start(round=quiz_round, member=bank_a.members[2])
        services.question_next(attempt=attempt, member=bank_a.members[2])
        for position in (1, 3, 4, 5):
            with transaction.atomic():
                hand = services._pair_locked(attempt_id=attempt.pk, position=position)
                orm = list(AttemptQuestion.objects.select_related("attempt__round")
                           .filter(attempt_id=attempt.pk, position__gte=position)
                           .order_by("position")[:2])
            assert [q.pk for q in hand] == [q.pk for q in orm]
            for mine, theirs in zip(hand, orm, strict=True):
                for model_pair in ((mine, theirs), (mine.attempt, theirs.attempt),
                                   (mine.attempt.round, theirs.attempt.round)):
                    fields = type(model_pair[0])._meta.concrete_fields
                    assert ([getattr(model_pair[0], f.attname) for f in fields]
                            == [getattr(model_pair[1], f.attname) for f in fields])


def test_a_remembered_token_is_nothing_on_another_company(bank_a, org_b, api):
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    assert api("get", HOST, "/api/v1/me/", token).status_code == 200  # remembered on A
    assert api("get", "beta.localhost", "/api/v1/me/", token).status_code == 401
    assert api("get", "beta.localhost", "/api/v1/quiz/rounds/", token).status_code == 401


def test_a_remembered_token_is_forgotten_at_logout(bank_a, api):
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    assert api("get", HOST, "/api/v1/me/", token).status_code == 200
    assert api("post", HOST, "/api/v1/auth/logout/", token).status_code == 204
    assert api("get", HOST, "/api/v1/me/", token).status_code == 401


def test_a_remembered_token_is_forgotten_when_its_user_or_member_changes(bank_a, api):
    member = bank_a.members[2]
    token = api_login(Client(), HOST, member.user.mobile)
    assert api("get", HOST, "/api/v1/quiz/rounds/", token).status_code == 200
    with schema_context("alpha"):  # leaves the party organisation: no member row any more
        Member.objects.filter(pk=member.pk).first().delete()
    assert api("post", HOST, "/api/v1/quiz/duels/", token, {}).status_code == 403
    with schema_context("alpha"):
        user = User.objects.get(pk=member.user_id)
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert api("get", HOST, "/api/v1/me/", token).status_code == 401


def test_the_apis_billing_answer_is_forgotten_when_billing_changes(bank_a, api):
    company = Company.objects.get(schema_name="alpha")
    token = api_login(Client(), HOST, bank_a.members[2].user.mobile)
    assert api("get", HOST, "/api/v1/quiz/rounds/", token).status_code == 200  # remembered
    billing_services.grace_days_set(company=company, days=0)  # the account made and saved
    for period in SponsoredPeriod.objects.filter(company=company):  # the trial ends
        period.starts_on = timezone.localdate() - datetime.timedelta(days=60)
        period.ends_on = timezone.localdate() - datetime.timedelta(days=30)
        period.save()
    paused = api("get", HOST, "/api/v1/quiz/rounds/", token)
    assert paused.status_code == 403 and paused.json()["code"] == "paid_feature_paused"
    billing_services.sponsorship_grant(companies=[company], starts_on=timezone.localdate(),
                                       ends_on=timezone.localdate(), note="孵化期")
    assert api("get", HOST, "/api/v1/quiz/rounds/", token).status_code == 200
