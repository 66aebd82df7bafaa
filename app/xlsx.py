"""The one way the portal writes an xlsx file: XlsxWriter in constant-memory mode (a row is flushed to disk
once the next one starts, so any number of rows takes the same memory) into an anonymous temporary file,
sent and gone when the response is closed. Every cell is written as what its value is — text always as
text, so a name such as "=1+1" or "+86 139…" arrives as typed and never becomes a formula."""
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from flask import flash, redirect, send_file
from flask_babel import lazy_gettext as _l
from xlsxwriter import Workbook

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_ROWS = 1_048_576  # rows of an Excel worksheet, headers included
# Text is written as text, never read as a formula, a link or a number (for every workbook the portal makes).
TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
OPTIONS = {"constant_memory": True, **TEXT_AS_TEXT, "remove_timezone": True}


class TooManyRows(Exception):
    """More rows than a worksheet holds: no file is sent rather than a truncated one."""

    def __init__(self, limit: int, count: int | None = None):
        super().__init__(f"{count if count is not None else 'more'} rows > {limit}")
        self.limit, self.count = limit, count

    @property
    def message(self):
        if self.count is None:
            return _l("The export has more records than Excel's limit of %(limit)s rows: narrow it down with "
                      "the filters first", limit=_grouped(self.limit))
        return _l("The export has more records than Excel's limit of %(limit)s rows: narrow it down with "
                  "the filters first (now %(count)s rows)", limit=_grouped(self.limit), count=_grouped(self.count))


def _grouped(number: int) -> str:
    """1 048 575: digits in groups of three, as the messages write them."""
    return f"{number:,}".replace(",", " ")


def numbered(rows: Iterable, first: int) -> Iterator[tuple[int, object]]:
    """(row number, row) from row ``first`` on. A row past the worksheet's last refuses the whole file
    (XlsxWriter would silently drop it); where the rows can be counted beforehand, the caller does."""
    for number, row in enumerate(rows, start=first):
        if number >= SHEET_ROWS:
            raise TooManyRows(SHEET_ROWS - first)
        yield number, row


def workbook_file(write: Callable[[Workbook], object]) -> BinaryIO:
    """Run ``write`` on a new workbook and return the finished file, rewound. XlsxWriter's own scratch
    files go into a directory of their own that is removed however ``write`` ends; the xlsx itself is an
    anonymous temporary file, removed by the system once it is closed (Flask closes it after sending)."""
    file = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        with tempfile.TemporaryDirectory(prefix="xlsx-") as scratch:
            book = Workbook(file, {**OPTIONS, "tmpdir": scratch})
            write(book)
            book.close()
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


def send_workbook(write: Callable[[Workbook], object], download_name: str, back: str):
    """The workbook as a download, or — too many rows for a worksheet — back to ``back`` saying so."""
    try:
        file = workbook_file(write)
    except TooManyRows as too_many:
        return refused(too_many, back)
    return send_file(file, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=download_name)


def refused(too_many: TooManyRows, back: str):
    flash(too_many.message, "danger")
    return redirect(back)


class Cells:
    """Writes values into one workbook's cells by their type, in one style (e.g. ``border=1``)."""

    def __init__(self, book: Workbook, **style):
        self.text = book.add_format(style) if style else None
        self.day = book.add_format({**style, "num_format": "yyyy-mm-dd"})
        self.moment = book.add_format({**style, "num_format": "yyyy-mm-dd hh:mm"})
        self.yes, self.no = str(_l("Yes")), str(_l("No"))

    def write(self, sheet, row: int, col: int, value) -> None:
        if value is None or value == "":
            if self.text is not None:  # an unstyled empty cell is simply not written
                sheet.write_blank(row, col, None, self.text)
        elif isinstance(value, bool):
            sheet.write_string(row, col, self.yes if value else self.no, self.text)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value, self.moment)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, value, self.day)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value, self.text)
        else:
            sheet.write_string(row, col, str(value), self.text)

    def write_rows(self, sheet, first: int, rows: Iterable[Sequence]) -> int:
        """Write ``rows`` from row ``first`` on; returns how many."""
        written = 0
        for number, values in numbered(rows, first):
            for col, value in enumerate(values):
                self.write(sheet, number, col, value)
            written += 1
        return written
