"""Excel exports with XlsxWriter. Rows are written as they come (constant-memory mode), so an export of
any size holds one row at a time; headers are in the user's language."""
import io

import xlsxwriter

from app.reports.engine import Indicator, UnitRow


def _workbook(buffer):
    return xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})


def rollup_workbook(title: str, period_label: str, indicators: list[Indicator], total: UnitRow,
                    rows: list[UnitRow], labels: dict[str, str]) -> bytes:
    """The rollup table as on screen: a unit per row, numerator / denominator / rate per indicator."""
    buffer = io.BytesIO()
    book = _workbook(buffer)
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
    cell = book.add_format({"border": 1})
    met = book.add_format({"border": 1, "num_format": "0.0%", "bg_color": "#D9F2D9"})
    unmet = book.add_format({"border": 1, "num_format": "0.0%", "bg_color": "#F8D7DA"})
    empty = book.add_format({"border": 1, "align": "center"})
    sheet.write(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write(1, 0, period_label)
    sheet.merge_range(2, 0, 3, 0, labels["unit"], bold)
    for index, indicator in enumerate(indicators):
        col = 1 + 3 * index
        sheet.merge_range(2, col, 2, col + 2,
                          f"{indicator.name}（{labels['target']} ≥{indicator.target:.0%}）", bold)
        for offset, key in enumerate(("numerator", "denominator", "rate")):
            sheet.write(3, col + offset, labels[key], bold)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 3 * len(indicators), 11)
    for line, row in enumerate([*rows, total], start=4):
        name = row.unit.name if row is not total else f"{labels['total']}（{row.unit.name}）"
        sheet.write(line, 0, name, cell)
        for index, indicator in enumerate(indicators):
            value, col = row.values[indicator.code], 1 + 3 * index
            sheet.write_number(line, col, value.numerator, cell)
            sheet.write_number(line, col + 1, value.denominator, cell)
            if value.rate is None:
                sheet.write(line, col + 2, "—", empty)
            else:
                sheet.write_number(line, col + 2, value.rate, met if value.met(indicator.target) else unmet)
    sheet.freeze_panes(4, 1)
    book.close()
    return buffer.getvalue()
