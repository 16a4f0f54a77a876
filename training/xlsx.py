"""Workbook rows of names and titles people typed: openpyxl writes a text that starts with
"=" as a formula, so a trainee named "=HYPERLINK(…)" (or a company applying under such a name)
would put a live formula into the trainer's or the admin's spreadsheet. Rows go in through
row_append, which keeps every text a text."""


def row_append(sheet, values) -> None:
    """Appends a row; a text that would be read as a formula stays a plain text cell."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
