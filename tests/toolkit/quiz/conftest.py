"""A company (alpha) with an organisation and a bank of its own questions, one of each kind
and then single-choice ones; `shared_bank` adds questions to the incubator's bank in public."""

import pytest
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api  # noqa: F401 - the API tests' fixture
from training.models import Question, QuestionKind

OWN = [
    ("single", "党的最高领导机关是？", ["党的全国代表大会和它所产生的中央委员会", "中央政治局",
                                  "中央书记处"], [0], "党章第十条。"),
    ("multiple", "“三会一课”中的“三会”包括哪些？",
     ["支部党员大会", "支部委员会", "党小组会", "党代表大会"], [0, 1, 2],
     "三会：支部党员大会、支部委员会、党小组会。"),
    ("true_false", "党员应当按期交纳党费。", [], [True], "党章第八条。"),
    ("fill", "党的根本宗旨是全心全意为____服务。", [], ["人民"], "党章总纲。"),
]


def bank_make(schema: str, extra: int = 6) -> None:
    from toolkit.quiz.models import BankQuestion

    with schema_context(schema):
        for kind, text, options, answer, explanation in OWN:
            BankQuestion.objects.create(kind=kind, text=text, options=options, answer=answer,
                                        explanation=explanation)
        for n in range(extra):
            BankQuestion.objects.create(kind="single", text=f"{schema} 单选题 {n}",
                                        options=["甲", "乙", "丙", "丁"], answer=[n % 4],
                                        explanation=f"第 {n} 题的解析")


@pytest.fixture
def bank_a(org_a):
    bank_make("alpha")
    return org_a


@pytest.fixture
def shared_bank(db):
    return [Question.objects.create(kind=QuestionKind.SINGLE, text=f"共享题 {n}",
                                    options=["对的", "错的"], answer=[0], explanation="共享解析")
            for n in range(3)]


def right_answer(shown: dict, asked) -> list:
    """The answer a knowing member sends for a question as shown (positions after shuffle)."""
    if asked.kind in ("single", "multiple"):
        return [asked.order.index(i) for i in asked.answer]
    if asked.kind == "true_false":
        return ["true" if asked.answer[0] else "false"]
    return [asked.answer[0]]
