import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.training.conftest import upload
from training import selectors, services
from training.models import Question, QuestionKind
from training.question_import import HEADERS, QuestionFileUnreadable, template_xlsx
from training.question_services import QuestionRefused, question_save, questions_import


def _xlsx(rows, header=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(kind, text, options=(), answer="", explanation="", category="", tags=""):
    options = list(options) + [""] * (6 - len(options))
    return [kind, text, *options, answer, explanation, category, tags]


GOOD = [_row("单选题", "党的最高领导机关是？", ["全国代表大会和中央委员会", "中央书记处"], "A",
             "党章第十条", "党章党规", "党章"),
        _row("多选", "下列属于党的纪律的是？", ["政治纪律", "组织纪律", "天气"], "A,B"),
        _row("判断题", "党员应按期交纳党费。", answer="对"),
        _row("填空题", "党的根本宗旨是全心全意为人民___。", answer="服务|服务人民")]


@pytest.mark.django_db
def test_a_good_file_imports_every_question(trainer):
    made, errors = questions_import(upload=upload("q.xlsx", _xlsx(GOOD)), by=trainer)
    assert errors == [] and len(made) == 4
    by_text = {q.text: q for q in Question.objects.all()}
    assert by_text["党的最高领导机关是？"].answer == [0]
    assert by_text["党的最高领导机关是？"].explanation == "党章第十条"
    assert by_text["下列属于党的纪律的是？"].answer == [0, 1]
    assert by_text["党员应按期交纳党费。"].answer == [True]
    assert by_text["党的根本宗旨是全心全意为人民___。"].answer == ["服务", "服务人民"]


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_nothing_is_imported(trainer):
    rows = GOOD + [
        _row("单选题", "", ["甲", "乙"], "A"),                      # row 6: no text
        _row("单选题", "选项不够？", ["只有一个"], "A"),            # row 7
        _row("单选题", "答案越界？", ["甲", "乙"], "D"),            # row 8
        _row("判断题", "判断？", answer="也许"),                    # row 9
        _row("问答题", "题型不对？", answer="x"),                   # row 10
        _row("单选题", "党的最高领导机关是？", ["甲", "乙"], "A"),  # row 11: repeats row 2
        _row("多选题", "只选一个的多选？", ["甲", "乙"], "A", category="天文"),  # row 12
    ]
    made, errors = questions_import(upload=upload("q.xlsx", _xlsx(rows)), by=trainer)
    assert made == [] and Question.objects.count() == 0
    by_row = {e["row"]: e["message"] for e in errors}
    assert sorted(by_row) == [6, 7, 8, 9, 10, 11, 12]
    assert "缺少题干" in by_row[6]
    assert "至少需要两个选项" in by_row[7]
    assert "应为选项字母" in by_row[8]
    assert "应为“对”或“错”" in by_row[9]
    assert "题型“问答题”无法识别" in by_row[10]
    assert "与第 2 行重复" in by_row[11]
    assert "至少有两个正确选项" in by_row[12] and "类别“天文”无法识别" in by_row[12]


@pytest.mark.django_db
def test_the_import_page_lists_the_bad_rows(trainer_client):
    rows = GOOD + [_row("判断题", "判断？", answer="也许")]
    response = trainer_client.post("/training/questions/import/",
                                   {"file": upload("q.xlsx", _xlsx(rows))}, HTTP_HOST="localhost")
    assert response.status_code == 400
    html = response.content.decode()
    assert "应为“对”或“错”" in html and "<td>6</td>" in html
    assert Question.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "code"), [
    ("q.xlsx", b"name,text\n1,2\n", "question_file_type"),
    ("q.xlsx", b"PK\x03\x04 not really a zip", "question_file_damaged"),
    ("q.xlsx", b"", "question_file_empty"),
])
def test_disguised_files_are_refused(trainer, name, data, code):
    with pytest.raises(QuestionFileUnreadable) as refused:
        questions_import(upload=upload(name, data), by=trainer)
    assert refused.value.code == code


@pytest.mark.django_db
def test_an_oversized_file_is_refused(trainer):
    big = upload("q.xlsx", b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(QuestionFileUnreadable) as refused:
        questions_import(upload=big, by=trainer)
    assert refused.value.code == "question_file_too_large"


@pytest.mark.django_db
def test_the_template_imports_nothing_and_names_the_headers(trainer):
    data = template_xlsx()
    assert [c.value for c in load_workbook(io.BytesIO(data)).active[2]] == HEADERS
    with pytest.raises(QuestionFileUnreadable) as refused:
        questions_import(upload=upload("t.xlsx", data), by=trainer)
    assert refused.value.code == "question_file_no_rows"


@pytest.mark.django_db
def test_editing_a_question_used_by_a_published_version_makes_a_new_one(published_course,
                                                                          trainer):
    v1 = selectors.version_published_latest(course=published_course)
    quiz = selectors.lessons_of(version=v1).get(kind="quiz")
    old = quiz.questions.first()
    draft_quiz = selectors.lessons_of(
        version=services.course_draft(course=published_course)).get(kind="quiz")
    new = question_save(question=old, kind=QuestionKind.SINGLE, text="改过的题干",
                        options=["甲", "乙"], answer="B", category=old.category, by=trainer)
    old.refresh_from_db()
    assert new.pk != old.pk and old.retired_at is not None and old.replaced_by == new
    assert old.text != "改过的题干"  # the published version's question keeps its meaning
    assert old in quiz.questions.all()
    assert new in draft_quiz.questions.all() and old not in draft_quiz.questions.all()
    # The published quiz still draws from its own questions (their meaning kept).
    assert old in selectors.lesson_question_pool(lesson=quiz)


@pytest.mark.django_db
def test_a_question_used_nowhere_published_is_edited_in_place(trainer):
    question = question_save(kind=QuestionKind.TRUE_FALSE, text="对吗？", options=[], answer="对",
                             category="theory", by=trainer)
    same = question_save(question=question, kind=QuestionKind.TRUE_FALSE, text="对吗？？",
                         options=[], answer="错", category="theory", by=trainer)
    assert same.pk == question.pk and same.answer == [False]


@pytest.mark.django_db
def test_a_bad_question_is_refused_with_clear_errors(trainer_client):
    response = trainer_client.post("/training/questions/new/", {
        "kind": "single", "text": "缺选项？", "options": "只有一个", "answer": "A",
        "category": "theory"}, HTTP_HOST="localhost")
    assert response.status_code == 400
    assert "选择题至少需要两个选项" in response.content.decode()
    with pytest.raises(QuestionRefused):
        question_save(kind="multiple", text="x", options=["a", "b"], answer="A",
                      category="theory", by=None)


@pytest.mark.django_db
def test_a_published_quiz_keeps_enough_questions_to_draw(published_course, trainer):
    from training.question_services import question_retire

    quiz = selectors.lessons_of(
        version=selectors.version_published_latest(course=published_course)).get(kind="quiz")
    first, second, third = quiz.questions.order_by("pk")
    # An edit replaces one of the three: the published quiz still draws its 2 from 3.
    question_save(question=first, kind=QuestionKind.SINGLE, text=first.text + "（改）",
                  options=["甲", "乙"], answer="A", category="charter", by=trainer)
    assert selectors.lesson_question_pool(lesson=quiz).count() == 3
    question_retire(question=third)  # withdrawn outright: 2 left, as many as it draws
    assert selectors.lesson_question_pool(lesson=quiz).count() == 2
    with pytest.raises(QuestionRefused) as refused:
        question_retire(question=second)  # would leave 1 for a quiz drawing 2
    assert refused.value.code == "question_needed_by_exam"
    assert selectors.lesson_question_pool(lesson=quiz).count() == 2
