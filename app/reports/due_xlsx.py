"""The xlsx export of a due or overdue list: the list's fields as columns, headers in the user's language,
rows written as the database hands them over (XlsxWriter's constant-memory mode keeps one row in memory)."""
import io
from datetime import date
from typing import Iterable

import xlsxwriter

from app.reports.due import DueList


def due_list_workbook(due_list: DueList, title: str, rows: Iterable, yes: str, no: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet()
    header = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True})
    cell = book.add_format({"border": 1})
    day = book.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    for col, field in enumerate(due_list.fields):
        sheet.write(1, col, str(field.label), header)
    sheet.set_column(0, len(due_list.fields) - 1, 16)
    for line, row in enumerate(rows, start=2):
        for col, field in enumerate(due_list.fields):
            value = field.value(row)
            if isinstance(value, bool):
                sheet.write_string(line, col, yes if value else no, cell)
            elif isinstance(value, date):
                sheet.write_datetime(line, col, value, day)
            elif value is None:
                sheet.write_blank(line, col, None, cell)
            elif isinstance(value, (int, float)):
                sheet.write_number(line, col, value, cell)
            else:
                sheet.write_string(line, col, str(value), cell)
    sheet.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()
