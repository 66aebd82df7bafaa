"""The patrol work register as the paper form (Guizhou Annex 2), ready to print: title, township and
year line, the six-column header repeated on every page, bordered wrapped cells, A4 landscape."""
from collections.abc import Iterable

from xlsxwriter import Workbook

from app.reports.register import RegisterRow
from app.xlsx import numbered

# Column widths (characters) close to the printed form: the two text columns take most of the page.
WIDTHS = (6, 42, 42, 12, 10, 28)
HEADER_ROW = 2


def register_sheet(book: Workbook, title: str, unit_line: str, headers: list[str],
                   rows: Iterable[RegisterRow]) -> None:
    """Rows are written as they arrive (a workbook of ``app.xlsx``): the register's generator streams them."""
    sheet = book.add_worksheet()
    heading = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    line = book.add_format({"align": "right", "valign": "vcenter"})
    header = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
    text = book.add_format({"border": 1, "valign": "top", "text_wrap": True})
    centred = book.add_format({"border": 1, "valign": "top", "align": "center", "text_wrap": True})
    day = book.add_format({"border": 1, "valign": "top", "align": "center", "num_format": "yyyy-mm-dd"})
    for column, width in enumerate(WIDTHS):
        sheet.set_column(column, column, width)
    last = len(WIDTHS) - 1
    sheet.set_row(0, 30)
    sheet.merge_range(0, 0, 0, last, title, heading)
    sheet.merge_range(1, 0, 1, last, unit_line, line)
    for column, label in enumerate(headers):
        sheet.write_string(HEADER_ROW, column, label, header)
    for number, row in numbered(rows, HEADER_ROW + 1):
        sheet.write_number(number, 0, row.serial, centred)
        sheet.write_string(number, 1, row.place_and_content, text)
        sheet.write_string(number, 2, row.problems_text, text)
        sheet.write_datetime(number, 3, row.visit_date, day)
        sheet.write_string(number, 4, row.patroller, centred)
        sheet.write_string(number, 5, row.disposal, text)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(0, HEADER_ROW)
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_footer("&C&P / &N")
