"""What makes a question well formed: one pure check shared by the question form and the xlsx
import, so a question typed by hand and one imported are judged alike.

Answers are written the way trainers write them: letters for choices ("B", "A,C" or "AC"),
对/错 for true-false, and the accepted texts for fill-in separated by "|"."""

import re

from django.utils.translation import gettext as _

from training.models import Category, Question, QuestionKind

LETTERS = "ABCDEF"
MAX_OPTIONS = len(LETTERS)
TRUE_WORDS = {"对", "正确", "是", "√", "✓", "T", "TRUE", "Y", "YES"}
FALSE_WORDS = {"错", "错误", "否", "×", "✗", "F", "FALSE", "N", "NO"}
TEXT_MAX = 2000
OPTION_MAX = 500
KIND_WORDS = {**{str(label): value for value, label in QuestionKind.choices},
              **{str(label).removesuffix("题"): value for value, label in QuestionKind.choices}}
CATEGORY_WORDS = {str(label): value for value, label in Category.choices}


def question_clean(*, kind: str, text: str, options: list[str], answer: str,
                   explanation: str = "") -> tuple[dict, list[str]]:
    """(the fields to store, the problems found): the question is usable when there are none."""
    problems: list[str] = []
    text = (text or "").strip()
    options = [option.strip() for option in options if option and option.strip()]
    answer = (answer or "").strip()
    if kind not in QuestionKind.values:
        problems.append(_("题型无法识别（可选：单选题、多选题、判断题、填空题）"))
    if not text:
        problems.append(_("缺少题干"))
    elif len(text) > TEXT_MAX:
        problems.append(_("题干超过 %(n)s 个字") % {"n": TEXT_MAX})
    if any(len(option) > OPTION_MAX for option in options):
        problems.append(_("选项超过 %(n)s 个字") % {"n": OPTION_MAX})
    if not answer:
        problems.append(_("缺少答案"))
    parsed = None
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parsed = _choices(kind, options, answer, problems)
    elif kind == QuestionKind.TRUE_FALSE:
        options = []
        parsed = _true_false(answer, problems)
    elif kind == QuestionKind.FILL:
        options = []
        parsed = [part.strip() for part in re.split(r"[|｜]", answer) if part.strip()] or None
    return {"kind": kind, "text": text, "options": options, "answer": parsed,
            "explanation": (explanation or "").strip()}, problems


def _choices(kind, options, answer, problems) -> list[int] | None:
    if len(options) < 2:
        problems.append(_("选择题至少需要两个选项"))
        return None
    if len(options) > MAX_OPTIONS:
        problems.append(_("选项最多 %(n)s 个") % {"n": MAX_OPTIONS})
        return None
    if not answer:
        return None
    letters = re.sub(r"[\s,，、;；]", "", answer.upper())
    picked = sorted({LETTERS.find(letter) for letter in letters})
    if not letters or -1 in picked or max(picked) >= len(options):
        problems.append(_("答案“%(value)s”应为选项字母 A–%(last)s") % {
            "value": answer, "last": LETTERS[len(options) - 1]})
        return None
    if kind == QuestionKind.SINGLE and len(picked) != 1:
        problems.append(_("单选题只能有一个答案"))
        return None
    if kind == QuestionKind.MULTIPLE and len(picked) < 2:
        problems.append(_("多选题至少有两个正确选项"))
        return None
    return picked


def _true_false(answer, problems) -> list[bool] | None:
    word = answer.strip().upper()
    if word in TRUE_WORDS:
        return [True]
    if word in FALSE_WORDS:
        return [False]
    if answer:
        problems.append(_("判断题答案“%(value)s”应为“对”或“错”") % {"value": answer})
    return None


def answer_display(question: Question) -> str:
    """The answer as a trainer writes it (the inverse of question_clean's parsing)."""
    answer = question.answer or []
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return ",".join(LETTERS[i] for i in answer if isinstance(i, int) and 0 <= i < MAX_OPTIONS)
    if question.kind == QuestionKind.TRUE_FALSE:
        return _("对") if answer and answer[0] is True else _("错")
    return "|".join(str(part) for part in answer)
