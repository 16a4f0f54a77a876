import pytest
from django_tenants.utils import schema_context

from demo.quiz import quiz_demo_ensure
from demo.quiz_bank import QUESTIONS
from toolkit.points.models import LedgerEntry
from toolkit.quiz.models import Attempt, BankQuestion

pytestmark = pytest.mark.django_db


def test_the_demo_bank_and_a_finished_daily_quiz(org_a):
    with schema_context("alpha"):
        quiz_demo_ensure(seed="alpha")
        quiz_demo_ensure(seed="alpha")  # seeding twice adds nothing
        assert BankQuestion.objects.count() == len(QUESTIONS) >= 50
        assert {q.tags for q in BankQuestion.objects.all()} == {"党章", "三会一课", "党费"}
        finished = Attempt.objects.filter(finished_at__isnull=False)
        assert finished.count() == 5 and all(a.total == 5 for a in finished)
        scored = sum(a.points for a in finished)
        assert scored == sum(LedgerEntry.objects.filter(rule_code="quiz")
                             .values_list("amount", flat=True)) > 0
