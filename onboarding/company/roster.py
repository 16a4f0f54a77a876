"""Reading and checking a member roster (.xlsx or .csv). Pure functions: nothing is written.

Every row is checked and every problem reported with its row number, so one upload shows the
admin all there is to fix.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Refused
from core.validators import MOBILE_RE
from toolkit.org.models import Gender, Member, MemberStatus, Position

HEADERS = ["姓名", "性别", "手机号", "所在支部", "政治面貌", "入党日期", "职务"]
REQUIRED_HEADERS = ["姓名", "手机号", "所在支部"]
HEADER_ALIASES = {
    "姓名": {"姓名", "名字", "党员姓名"},
    "性别": {"性别"},
    "手机号": {"手机号", "手机号码", "手机", "联系电话", "电话"},
    "所在支部": {"所在支部", "所在党支部", "支部", "党支部", "所属支部", "所在党组织"},
    "政治面貌": {"政治面貌", "党员类别", "身份"},
    "入党日期": {"入党日期", "入党时间"},
    "职务": {"职务", "党内职务"},
}
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks huge
MAX_ROWS = 50_000
GENDERS = {str(label): value for value, label in Gender.choices}
STATUSES = {str(label): value for value, label in MemberStatus.choices}
POSITIONS = {str(label): value for value, label in Position.choices}
DEFAULT_POSITION = {MemberStatus.PROBATIONARY: Position.PROBATIONARY,
                    MemberStatus.ACTIVIST: Position.ACTIVIST,
                    MemberStatus.CANDIDATE: Position.ACTIVIST}
# Where each parsed text lands: its length is checked against that column, so a row that
# passes the preview can always be written.
STORED_IN = {"name": User._meta.get_field("full_name"), "mobile": User._meta.get_field("mobile"),
             "gender": Member._meta.get_field("gender"),
             "status": Member._meta.get_field("status"),
             "position": Member._meta.get_field("position")}
# The template's example row starts its name with this; rows that do are never imported.
EXAMPLE_MARK = "示例"
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class RosterUnreadable(Refused):
    """The file as a whole cannot be used (type, size, empty, headers); the message says why."""


@dataclass
class CheckedRoster:
    total: int = 0
    good: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


@dataclass
class Roster:
    header: list[str]  # canonical names (HEADERS) or "" for columns we do not read
    rows: list[tuple[int, list[str]]]  # (the row's number in the sheet, its cells)


def read_roster(data: bytes, file_name: str) -> Roster:
    """The sheet's header and data rows (with their own row numbers). Judged by content,
    not by the file's name; any file that cannot be read is refused with a reason."""
    if not data:
        raise RosterUnreadable(_("文件是空的。"), code="roster_empty")
    if len(data) > MAX_BYTES:
        raise RosterUnreadable(_("文件超过 10 MB。"), code="roster_too_large")
    try:
        if data[:4] == b"PK\x03\x04":
            rows = _read_xlsx(data)
        elif b"\x00" in data:
            raise RosterUnreadable(
                _("不支持这种文件类型，请上传 .xlsx 或 .csv 文件（可先下载模板）。"),
                code="roster_file_type")
        else:
            rows = _read_csv(data)
    except RosterUnreadable:
        raise
    except Exception as error:  # a damaged file: whatever the parser tripped on
        raise RosterUnreadable(
            _("无法读取这个文件：它不是有效的 .xlsx 表格。请上传 .xlsx 或 .csv 文件。"),
            code="roster_damaged") from error
    numbered = [(number, row) for number, row in enumerate(rows, start=1)
                if any(cell for cell in row)]
    header_index = _header_row(numbered)
    header = [_canonical(cell) for cell in numbered[header_index][1]]
    data_rows = [(number, row) for number, row in numbered[header_index + 1:]
                 if not _is_example(row, header)]
    if not data_rows:
        if len(numbered) > header_index + 1:
            raise RosterUnreadable(_("文件中只有示例行：请在示例下方填写党员（示例行不会导入）。"),
                                   code="roster_only_example")
        raise RosterUnreadable(_("文件中没有党员数据。"), code="roster_no_rows")
    if len(data_rows) > MAX_ROWS:
        raise RosterUnreadable(_("一次最多导入 %(n)s 行，请分成几个文件。") % {"n": MAX_ROWS},
                               code="roster_too_many_rows")
    return Roster(header, data_rows)


def _is_example(row: list[str], header: list[str]) -> bool:
    index = header.index("姓名")
    return index < len(row) and row[index].strip().startswith(EXAMPLE_MARK)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise RosterUnreadable(_("表格解压后过大，请删去无关的工作表或格式。"),
                                   code="roster_too_large")
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 10:
                raise RosterUnreadable(_("一次最多导入 %(n)s 行，请分成几个文件。") % {
                    "n": MAX_ROWS}, code="roster_too_many_rows")
        return rows
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[list[str]]:
    # Excel in China saves CSV as GB18030/GBK; everything else is UTF-8 (maybe with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterUnreadable(_("无法识别文件编码，请另存为 UTF-8 的 .csv 或 .xlsx。"),
                               code="roster_encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def _canonical(cell: str) -> str:
    """A header as people write it (手机号码, 所在党支部, 姓 名, 手机号*) → the template's name."""
    key = re.sub(r"[\s*＊:：()（）]", "", cell or "")
    return next((name for name, aliases in HEADER_ALIASES.items() if key in aliases), "")


def _header_row(numbered: list[tuple[int, list[str]]]) -> int:
    """The header may sit under a title row or two: take the first of the top rows that names
    the required columns."""
    for index, (_number, row) in enumerate(numbered[:5]):
        if set(REQUIRED_HEADERS) <= {_canonical(cell) for cell in row}:
            return index
    found = {_canonical(cell) for _n, row in numbered[:5] for cell in row}
    missing = [name for name in REQUIRED_HEADERS if name not in found]
    raise RosterUnreadable(_("表头缺少：%(names)s。请使用模板的表头。") % {
        "names": "、".join(missing or REQUIRED_HEADERS)}, code="roster_header_missing")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a mobile number typed as a number
    return str(value).strip()


def check_roster(roster: Roster, *, units: dict[str, list[int]]) -> CheckedRoster:
    """Checks each data row; `units` maps unit names to their ids (a name used twice in the
    tree cannot say which unit it means). The plan's limit is checked on the whole file, by
    the caller (billing.limits)."""
    columns = {name: index for index, name in enumerate(roster.header) if name}
    result = CheckedRoster(total=len(roster.rows))
    seen: dict[str, int] = {}
    for number, row in roster.rows:
        cells = {header: (row[index] if index < len(row) else "")
                 for header, index in columns.items()}
        problems, parsed = _check_row(cells, units)
        mobile = parsed.get("mobile")
        if mobile and mobile in seen:
            problems.append(_("手机号与第 %(row)s 行重复") % {"row": seen[mobile]})
        elif mobile:
            seen[mobile] = number
        if problems:
            result.errors.append({"row": number, "name": cells.get("姓名", ""),
                                  "message": "；".join(problems)})
        else:
            result.good.append(parsed)
    return result


def _check_row(cells: dict[str, str], units: dict[str, int]) -> tuple[list[str], dict]:
    problems: list[str] = []
    name = cells.get("姓名", "").strip()
    mobile = re.sub(r"[\s-]", "", cells.get("手机号", ""))
    branch = cells.get("所在支部", "").strip()
    if not name:
        problems.append(_("缺少姓名"))
    if not mobile:
        problems.append(_("缺少手机号"))
    elif not MOBILE_RE.match(mobile):
        problems.append(_("手机号“%(value)s”格式不对") % {"value": mobile})
    if not branch:
        problems.append(_("缺少所在支部"))
    elif branch not in units:
        problems.append(_("支部“%(value)s”不存在，请先在组织架构中建立") % {"value": branch})
    elif len(units[branch]) > 1:
        problems.append(_("组织架构中有多个“%(value)s”，请先改名以区分") % {"value": branch})
    gender = _choice(cells.get("性别", ""), GENDERS, _("性别"), problems, default="")
    status = _choice(cells.get("政治面貌", ""), STATUSES, _("政治面貌"), problems,
                     default=MemberStatus.FULL)
    position = _choice(cells.get("职务", ""), POSITIONS, _("职务"), problems,
                       default=DEFAULT_POSITION.get(status, Position.MEMBER))
    joined_on = _date(cells.get("入党日期", ""), problems)
    parsed = {"name": name, "mobile": mobile, "unit_id": (units.get(branch) or [None])[0],
              "gender": gender,
              "status": status, "position": position, "joined_on": joined_on}
    problems += _too_long(parsed)
    return problems, parsed


def _too_long(parsed: dict) -> list[str]:
    return [_("%(label)s超过 %(n)s 个字") % {"label": field.verbose_name, "n": field.max_length}
            for key, field in STORED_IN.items()
            if isinstance(parsed.get(key), str) and len(parsed[key]) > field.max_length]


def _choice(value: str, options: dict[str, str], label: str, problems: list[str], *, default):
    value = value.strip()
    if not value:
        return default
    if value not in options:
        problems.append(_("%(label)s“%(value)s”无法识别（可选：%(options)s）") % {
            "label": label, "value": value, "options": "、".join(options)})
        return default
    return options[value]


def _date(value: str, problems: list[str]) -> str | None:
    value = value.strip()
    if not value:
        return None
    match = DATE_RE.match(value)
    try:
        if value.isdigit() and 10000 < int(value) < 80000:  # an Excel date serial (1927–2119)
            day = (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value)))
        elif not match:
            raise ValueError
        else:
            day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        problems.append(_("入党日期“%(value)s”无效（例如 2020-07-01）") % {"value": value})
        return None
    if day > timezone.localdate():
        problems.append(_("入党日期“%(value)s”晚于今天") % {"value": value})
        return None
    return day.isoformat()


def template_xlsx() -> bytes:
    """The downloadable template: a note, Chinese headers and one example row (marked, so
    importing the template untouched adds nobody)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名单"
    sheet.append([_("党员名单：姓名以“示例”开头的行不会导入，可保留或删除。")])
    sheet.append(HEADERS)
    sheet.append([EXAMPLE_MARK + "：张伟", "男", "13912345678", "第一党支部", "正式党员",
                  "2015-07-01", "党员"])
    for column, width in zip("ABCDEFG", (10, 6, 15, 18, 14, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
