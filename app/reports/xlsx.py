"""The indicator rollup as xlsx, written into a workbook of ``app.xlsx`` (constant memory, text as text);
headers are in the user's language."""
from xlsxwriter import Workbook

from app.reports.comparison import ComparedRollup
from app.reports.engine import Indicator


def columns_of(indicator: Indicator, earlier: list[str]) -> list[str]:
    """The columns of an indicator, each a key of ``labels``: a rate's numerator, denominator and rate (a
    count: the count), then for each earlier period (同比, 环比) its value and the change — in percentage
    points for a rate, in number and per cent for a count."""
    own = ["count"] if indicator.is_count else ["numerator", "denominator", "rate"]
    change = ["change", "percent"] if indicator.is_count else ["change"] if indicator.is_ratio else ["points"]
    return own + [f"{kind}:{key}" for kind in earlier for key in ["earlier", *change]]


def rollup_sheet(book: Workbook, title: str, period_label: str, indicators: list[Indicator],
                 compared: ComparedRollup, labels: dict[str, str]) -> None:
    """The rollup table as on screen, a unit per row, with the same period last year and the change
    (and, for a quarter or half-year, the period before); met and unmet coloured at the levels the
    screen colours them."""
    sheet = book.add_worksheet()
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    bold = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                            "text_wrap": True})
    cell = book.add_format({"border": 1})
    empty = book.add_format({"border": 1, "align": "center"})
    colours = {True: "#D9F2D9", False: "#F8D7DA", None: None}

    def formats(number_format):
        return {met: book.add_format({"border": 1, "num_format": number_format,
                                      **({"bg_color": colour} if colour else {})})
                for met, colour in colours.items()}

    rated, per_head, counted = formats("0.0%"), formats("0.00"), formats("0")
    changes = {"points": formats("+0.0;-0.0;0.0")[None], "change": formats("+0;-0;0")[None],
               "percent": formats("+0.0%;-0.0%;0.0%")[None]}
    sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
    sheet.write_string(1, 0, period_label)
    sheet.merge_range(2, 0, 3, 0, labels["unit"], bold)
    earlier = list(compared.periods)
    # Constant-memory mode writes row by row: every indicator's heading first, then the sub-headings.
    columns, col = [], 1
    for indicator in indicators:
        keys = columns_of(indicator, earlier)
        columns.append((indicator, col, keys))
        heading = f"{indicator.name}（{labels['target']} {indicator.target_label}" + \
            (f" {labels['per_district']}）" if indicator.is_count else "）")
        sheet.merge_range(2, col, 2, col + len(keys) - 1, heading, bold)
        col += len(keys)
    for indicator, col, keys in columns:
        for offset, key in enumerate(keys):
            sheet.write_string(3, col + offset, labels[key], bold)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, col - 1, 11)
    for line, row in enumerate([*compared.rows, compared.total], start=4):
        name = row.unit.name if row is not compared.total else f"{labels['total']}（{row.unit.name}）"
        sheet.write_string(line, 0, name, cell)
        for indicator, col, keys in columns:
            value = row.values[indicator.code]
            changes_of = {kind: compared.change(kind, indicator, row) for kind in earlier}
            own = counted if indicator.is_count else per_head if indicator.is_ratio else rated
            for offset, key in enumerate(keys):
                kind, _, part = key.partition(":")
                if key == "count":
                    number, number_format = value.numerator, counted[value.met]
                elif key in ("numerator", "denominator"):
                    number, number_format = getattr(value, key), cell
                elif key == "rate":
                    number, number_format = value.rate, own[value.met]
                elif part == "earlier":
                    number, number_format = changes_of[kind].earlier, own[None]
                elif part == "percent":
                    number, number_format = changes_of[kind].percent, changes["percent"]
                else:
                    number, number_format = changes_of[kind].difference, changes[part]
                if number is None:
                    sheet.write_string(line, col + offset, "—", empty)
                else:
                    sheet.write_number(line, col + offset, number, number_format)
    sheet.freeze_panes(4, 1)
