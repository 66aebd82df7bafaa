"""The assessment score table and the ranking as xlsx (workbooks of ``app.xlsx``, headers in the UI
language)."""
from xlsxwriter import Workbook

from app.reports.score import RankRow, TownshipScore


def _formats(book):
    return {"title": book.add_format({"bold": True, "font_size": 14}),
            "header": book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                       "text_wrap": True}),
            "text": book.add_format({"border": 1, "valign": "top", "text_wrap": True}),
            "number": book.add_format({"border": 1, "valign": "top", "num_format": "0.0"}),
            "count": book.add_format({"border": 1, "valign": "top", "align": "center"}),
            "total": book.add_format({"border": 1, "bold": True, "num_format": "0.0"}),
            "bold": book.add_format({"border": 1, "bold": True})}


def _headed_sheet(book: Workbook, title: str, headers: list[str]):
    sheet, style = book.add_worksheet(), _formats(book)
    sheet.write_string(0, 0, title, style["title"])
    for column, label in enumerate(headers):
        sheet.write_string(1, column, label, style["header"])
    return sheet, style


def score_sheet(book: Workbook, title: str, score: TownshipScore, headers: list[str], total_label: str) -> None:
    """One row per Annex 6 item: item, points, deducted, score, and the reasons with their records."""
    sheet, style = _headed_sheet(book, title, headers)
    for number, line in enumerate(score.lines, start=2):
        reasons = "\n".join(f"−{d.points:g} {d.reason}" + (
            "（" + "、".join(r.label for r in d.records) + "）" if d.records else "") for d in line.deductions)
        sheet.write_string(number, 0, str(line.label), style["text"])
        sheet.write_number(number, 1, line.max_points, style["number"])
        sheet.write_number(number, 2, float(line.deducted), style["number"])
        sheet.write_number(number, 3, float(line.score), style["number"])
        sheet.write_string(number, 4, reasons, style["text"])
    end = 2 + len(score.lines)
    sheet.write_string(end, 0, total_label, style["bold"])
    sheet.write_number(end, 1, 100, style["total"])
    sheet.write_number(end, 2, float(score.deducted), style["total"])
    sheet.write_number(end, 3, float(score.total), style["total"])
    sheet.write_string(end, 4, "", style["text"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 3, 9)
    sheet.set_column(4, 4, 70)
    sheet.set_landscape()
    sheet.set_paper(9)


def ranking_sheet(book: Workbook, title: str, rows: list[RankRow], headers: list[str]) -> None:
    """Rank, unit, score (and the number of townships behind a district's mean)."""
    sheet, style = _headed_sheet(book, title, headers)
    for number, row in enumerate(rows, start=2):
        if row.rank is None:
            sheet.write_string(number, 0, "—", style["text"])
        else:
            sheet.write_number(number, 0, row.rank, style["count"])
        sheet.write_string(number, 1, row.unit.name, style["text"])
        if row.score is None:
            sheet.write_string(number, 2, "—", style["text"])
        else:
            sheet.write_number(number, 2, float(row.score), style["number"])
        sheet.write_number(number, 3, row.townships, style["count"])
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, 3, 12)
