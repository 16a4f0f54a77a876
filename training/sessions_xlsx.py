"""The attendance list of one session as a workbook (openpyxl)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from training.xlsx import row_append


def attendance_workbook(*, session, rows) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = _("签到名单")[:31]
    row_append(sheet, [session.title, session.place,
                       timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
                       f"{session.hours} " + _("学时")])
    sheet.append([_("序号"), _("姓名"), _("公司"), _("所在支部"), _("签到时间")])
    for number, row in enumerate(rows, start=1):
        row_append(sheet, [number, row.name, row.company.name, row.branch,
                           timezone.localtime(row.checked_in_at).strftime("%Y-%m-%d %H:%M:%S")])
    for column, width in zip("ABCDE", (6, 14, 28, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    return book
