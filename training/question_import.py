"""Reading a question bank spreadsheet (.xlsx) and checking every row: pure functions, nothing
is written. As the member import does (onboarding.company.roster): the file is judged by its
content, every bad row is reported with its number and all its problems, the template's example
row is never imported."""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.errors import Refused
from training.models import Category, Question
from training.question_check import CATEGORY_WORDS, KIND_WORDS, LETTERS, question_clean

OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
HEADERS = ["题型", "题干", *OPTION_HEADERS, "答案", "解析", "类别", "标签"]
REQUIRED_HEADERS = ["题型", "题干", "答案"]
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 2000
EXAMPLE_MARK = "示例"
TAGS_MAX = Question._meta.get_field("tags").max_length


class QuestionFileUnreadable(Refused):
    """The file as a whole cannot be used (type, size, empty, headers)."""


@dataclass
class CheckedQuestions:
    total: int = 0
    good: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {"row", "text", "message"}


def read_questions(upload) -> CheckedQuestions:
    if upload.size > MAX_BYTES:
        raise QuestionFileUnreadable(_("文件超过 5 MB。"), code="question_file_too_large")
    data = upload.read()
    if not data:
        raise QuestionFileUnreadable(_("文件是空的。"), code="question_file_empty")
    if data[:4] != b"PK\x03\x04":
        raise QuestionFileUnreadable(_("不支持这种文件类型，请上传 .xlsx 文件（可先下载模板）。"),
                                     code="question_file_type")
    try:
        rows = _xlsx_rows(data)
    except QuestionFileUnreadable:
        raise
    except Exception as error:  # a damaged file: whatever the parser tripped on
        raise QuestionFileUnreadable(_("无法读取这个文件：它不是有效的 .xlsx 表格。"),
                                     code="question_file_damaged") from error
    return check_questions(rows)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise QuestionFileUnreadable(_("表格解压后过大，请删去无关的工作表或格式。"),
                                         code="question_file_too_large")
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = []
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else str(v).strip() for v in row])
            if len(rows) > MAX_ROWS + 5:
                raise QuestionFileUnreadable(_("一次最多导入 %(n)s 道题，请分成几个文件。")
                                             % {"n": MAX_ROWS}, code="question_file_too_many")
        return rows
    finally:
        workbook.close()


def _canonical(cell: str) -> str:
    key = re.sub(r"[\s*＊:：()（）]", "", cell or "").upper()
    return key if key in HEADERS else ""


def check_questions(rows: list[list[str]]) -> CheckedQuestions:
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if any(row)]
    header_at = next((i for i, (_n, row) in enumerate(numbered[:5])
                      if set(REQUIRED_HEADERS) <= {_canonical(c) for c in row}), None)
    if header_at is None:
        raise QuestionFileUnreadable(_("表头缺少：%(names)s。请使用模板的表头。") % {
            "names": "、".join(REQUIRED_HEADERS)}, code="question_file_header")
    columns = {name: i for i, name in enumerate(_canonical(c) for c in numbered[header_at][1])
               if name}
    body = [(n, row) for n, row in numbered[header_at + 1:]
            if not _cell(row, columns, "题干").startswith(EXAMPLE_MARK)]
    if not body:
        raise QuestionFileUnreadable(_("文件中没有试题（示例行不会导入）。"),
                                     code="question_file_no_rows")
    result, seen = CheckedQuestions(total=len(body)), {}
    for number, row in body:
        problems, parsed = _check_row(row, columns)
        if parsed["text"] in seen:
            problems.append(_("题干与第 %(row)s 行重复") % {"row": seen[parsed["text"]]})
        elif parsed["text"]:
            seen[parsed["text"]] = number
        if problems:
            result.errors.append({"row": number, "text": parsed["text"][:40],
                                  "message": "；".join(problems)})
        else:
            result.good.append(parsed)
    return result


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index] if index is not None and index < len(row) else ""


def _check_row(row: list[str], columns: dict[str, int]) -> tuple[list[str], dict]:
    kind_word = _cell(row, columns, "题型")
    kind = KIND_WORDS.get(kind_word, "")
    parsed, problems = question_clean(
        kind=kind, text=_cell(row, columns, "题干"),
        options=[_cell(row, columns, name) for name in OPTION_HEADERS],
        answer=_cell(row, columns, "答案"), explanation=_cell(row, columns, "解析"))
    if not kind:
        problems[:1] = [_("题型“%(value)s”无法识别（可选：单选题、多选题、判断题、填空题）")
                        % {"value": kind_word}] if kind_word else [_("缺少题型")]
    category_word = _cell(row, columns, "类别")
    parsed["category"] = CATEGORY_WORDS.get(category_word, Category.THEORY)
    if category_word and category_word not in CATEGORY_WORDS:
        problems.append(_("类别“%(value)s”无法识别（可选：%(options)s）") % {
            "value": category_word, "options": "、".join(CATEGORY_WORDS)})
    parsed["tags"] = _cell(row, columns, "标签")
    if len(parsed["tags"]) > TAGS_MAX:
        problems.append(_("标签超过 %(n)s 个字") % {"n": TAGS_MAX})
    return problems, parsed


def template_xlsx() -> bytes:
    """The downloadable template: the headers, and example rows (marked, never imported)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append([_("题库导入：题干以“示例”开头的行不会导入。答案：单选填字母，多选如 A,C，"
                    "判断填 对/错，填空的多个可接受答案用 | 分隔。")])
    sheet.append(HEADERS)
    sheet.append(["单选题", EXAMPLE_MARK + "：中国共产党的最高领导机关是？",
                  "党的全国代表大会和它所产生的中央委员会",
                  "中央政治局", "中央书记处", "中央纪律检查委员会", "", "", "A",
                  "见《中国共产党章程》第十条。", "党章党规", "党章"])
    sheet.append(["判断题", EXAMPLE_MARK + "：党员必须按期交纳党费。", "", "", "", "", "", "", "对",
                  "", "党务实务", ""])
    for column, width in zip("ABCDEFGHIJKL", (8, 40, 16, 16, 16, 16, 12, 12, 8, 24, 10, 10),
                             strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
