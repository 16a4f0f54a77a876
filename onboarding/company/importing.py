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

from onboarding.validators import MOBILE_RE
from toolkit.org.models import Gender, MemberStatus, Position

HEADERS = ["姓名", "性别", "手机号", "所在支部", "政治面貌", "入党日期", "职务"]
REQUIRED_HEADERS = ["姓名", "手机号", "所在支部"]
MAX_BYTES = 10 * 1024 * 1024
GENDERS = {str(label): value for value, label in Gender.choices}
STATUSES = {str(label): value for value, label in MemberStatus.choices}
POSITIONS = {str(label): value for value, label in Position.choices}
DEFAULT_POSITION = {MemberStatus.PROBATIONARY: Position.PROBATIONARY,
                    MemberStatus.ACTIVIST: Position.ACTIVIST,
                    MemberStatus.CANDIDATE: Position.ACTIVIST}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class RosterUnreadable(Exception):
    """The file as a whole cannot be used (type, size, empty, headers); the message says why."""


@dataclass
class CheckedRoster:
    total: int = 0
    good: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def read_roster(data: bytes, file_name: str) -> list[list[str]]:
    """The sheet as rows of cell texts, header first. Judged by content, not by the name."""
    if not data:
        raise RosterUnreadable(_("文件是空的。"))
    if len(data) > MAX_BYTES:
        raise RosterUnreadable(_("文件超过 10 MB。"))
    if data[:4] == b"PK\x03\x04":
        rows = _read_xlsx(data)
    elif b"\x00" in data[:4096]:
        raise RosterUnreadable(_("不支持这种文件类型，请上传 .xlsx 或 .csv 文件（可先下载模板）。"))
    else:
        rows = _read_csv(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if len(rows) < 2:
        raise RosterUnreadable(_("文件中没有党员数据。"))
    return rows


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise RosterUnreadable(
            _("无法读取这个文件：它不是有效的 .xlsx 表格。请上传 .xlsx 或 .csv 文件。")) from error
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
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
        raise RosterUnreadable(_("无法识别文件编码，请另存为 UTF-8 的 .csv 或 .xlsx。"))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


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


def check_roster(rows: list[list[str]], *, units: dict[str, int], known_mobiles: set[str],
                 existing_members: int, member_limit: int) -> CheckedRoster:
    """Checks each data row; `units` maps unit names to ids, `known_mobiles` are people
    already in the company (they are updated, not added, and do not count twice)."""
    columns = _columns(rows[0])
    result = CheckedRoster(total=len(rows) - 1)
    seen: dict[str, int] = {}
    room = member_limit - existing_members
    for number, row in enumerate(rows[1:], start=2):  # row 1 is the header
        cells = {header: (row[index] if index < len(row) else "")
                 for header, index in columns.items()}
        problems, parsed = _check_row(cells, units)
        mobile = parsed.get("mobile")
        if mobile and mobile in seen:
            problems.append(_("手机号与第 %(row)s 行重复") % {"row": seen[mobile]})
        elif mobile:
            seen[mobile] = number
        if not problems and mobile not in known_mobiles:
            if room <= 0:
                problems.append(_("超出套餐党员人数上限（%(limit)s 人）") % {"limit": member_limit})
            else:
                room -= 1
        if problems:
            result.errors.append({"row": number, "name": cells.get("姓名", ""),
                                  "message": "；".join(problems)})
        else:
            result.good.append(parsed)
    return result


def _columns(header: list[str]) -> dict[str, int]:
    positions = {cell.strip(): index for index, cell in enumerate(header) if cell}
    missing = [name for name in REQUIRED_HEADERS if name not in positions]
    if missing:
        raise RosterUnreadable(_("表头缺少：%(names)s。请使用模板的表头。") % {
            "names": "、".join(missing)})
    return {name: positions[name] for name in HEADERS if name in positions}


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
    gender = _choice(cells.get("性别", ""), GENDERS, _("性别"), problems, default="")
    status = _choice(cells.get("政治面貌", ""), STATUSES, _("政治面貌"), problems,
                     default=MemberStatus.FULL)
    position = _choice(cells.get("职务", ""), POSITIONS, _("职务"), problems,
                       default=DEFAULT_POSITION.get(status, Position.MEMBER))
    joined_on = _date(cells.get("入党日期", ""), problems)
    parsed = {"name": name, "mobile": mobile, "unit_id": units.get(branch), "gender": gender,
              "status": status, "position": position, "joined_on": joined_on}
    return problems, parsed


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
        if not match:
            raise ValueError
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        problems.append(_("入党日期“%(value)s”无效（例如 2020-07-01）") % {"value": value})
        return None
    if day > timezone.localdate():
        problems.append(_("入党日期“%(value)s”晚于今天") % {"value": value})
        return None
    return day.isoformat()


def template_xlsx() -> bytes:
    """The downloadable template: Chinese headers and one example row."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名单"
    sheet.append(HEADERS)
    sheet.append(["张伟", "男", "13912345678", "第一党支部", "正式党员", "2015-07-01", "党员"])
    for column, width in zip("ABCDEFG", (10, 6, 15, 18, 14, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
