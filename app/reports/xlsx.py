"""The indicator rollup as xlsx, written into a workbook of ``app.xlsx`` (constant memory, text as text);
headers are in the user's language."""
from xlsxwriter import Workbook

from app.reports.engine import Indicator, UnitRow


def rollup_sheet(book: Workbook, title: str, period_label: str, indicators: list[Indicator], total: UnitRow,
                 rows: list[UnitRow], labels: dict[str, str]) -> None:
    """The rollup table as on screen: a unit per row, numerator / denominator / rate per rate indicator,
    the count for a count indicator (coloured at district and city level only, as on screen)."""
    sheet = book.add_worksheet()
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
    cell = book.add_format({"border": 1})
    met = book.add_format({"border": 1, "num_format": "0.0%", "bg_color": "#D9F2D9"})
    unmet = book.add_format({"border": 1, "num_format": "0.0%", "bg_color": "#F8D7DA"})
    empty = book.add_format({"border": 1, "align": "center"})
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, period_label)
    plain = book.add_format({"border": 1, "num_format": "0"})
    counted = {True: book.add_format({"border": 1, "num_format": "0", "bg_color": "#D9F2D9"}),
               False: book.add_format({"border": 1, "num_format": "0", "bg_color": "#F8D7DA"}), None: plain}
    rated = {True: met, False: unmet}
    per_head = {True: book.add_format({"border": 1, "num_format": "0.00", "bg_color": "#D9F2D9"}),
                False: book.add_format({"border": 1, "num_format": "0.00", "bg_color": "#F8D7DA"})}
    sheet.merge_range(2, 0, 3, 0, labels["unit"], bold)
    # A rate takes three columns (numerator, denominator, rate); a count one. Constant-memory mode writes
    # row by row: every indicator's heading first, then the sub-headings below them.
    columns = [1]
    for indicator in indicators:
        columns.append(columns[-1] + (1 if indicator.is_count else 3))
    for indicator, col in zip(indicators, columns):
        if indicator.is_count:
            sheet.write_string(2, col, f"{indicator.name}（{labels['target']} {indicator.target_label} "
                                f"{labels['per_district']}）", bold)
        else:
            sheet.merge_range(2, col, 2, col + 2,
                              f"{indicator.name}（{labels['target']} {indicator.target_label}）", bold)
    for indicator, col in zip(indicators, columns):
        keys = ("count",) if indicator.is_count else ("numerator", "denominator", "rate")
        for offset, key in enumerate(keys):
            sheet.write_string(3, col + offset, labels[key], bold)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, columns[-1] - 1, 11)
    for line, row in enumerate([*rows, total], start=4):
        name = row.unit.name if row is not total else f"{labels['total']}（{row.unit.name}）"
        sheet.write_string(line, 0, name, cell)
        for indicator, col in zip(indicators, columns):
            value = row.values[indicator.code]
            if indicator.is_count:
                sheet.write_number(line, col, value.numerator, counted[value.met])
                continue
            sheet.write_number(line, col, value.numerator, cell)
            sheet.write_number(line, col + 1, value.denominator, cell)
            if value.rate is None:
                sheet.write_string(line, col + 2, "—", empty)
            else:
                sheet.write_number(line, col + 2, value.rate, (per_head if indicator.is_ratio else rated)[value.met])
    sheet.freeze_panes(4, 1)
