"""The xlsx export of a due or overdue list: the list's fields as columns, headers in the user's language,
rows written as the database hands them over (a workbook of ``app.xlsx`` keeps one row in memory)."""
from typing import Iterable

from xlsxwriter import Workbook

from app.reports.due import DueList
from app.xlsx import Cells

FIRST_ROW = 2  # under the title and the headers


def due_list_sheet(book: Workbook, due_list: DueList, title: str, rows: Iterable) -> None:
    sheet = book.add_worksheet()
    header = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    for col, field in enumerate(due_list.fields):
        sheet.write_string(1, col, str(field.label), header)
    sheet.set_column(0, len(due_list.fields) - 1, 16)
    Cells(book, border=1).write_rows(sheet, FIRST_ROW, ([field.value(row) for field in due_list.fields]
                                                        for row in rows))
    sheet.freeze_panes(2, 0)
