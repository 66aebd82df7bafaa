"""Import of employers from an xlsx list: the template a clerk fills in, and the check of a filled file.

Every row becomes a transient ``Employer`` that goes through the model's own ``clean()`` and ``problems()``
— the rules the forms and the API apply — so an import can never accept what a form would refuse. The
import adds the checks a single record cannot make: the header row (an unknown, missing or repeated
column), a credit code repeated within the file, and a township named by a text that fits several
townships or one outside the user's jurisdiction (each told as such rather than as an unknown name).
It also refuses what only a file can carry: a workbook that unpacks to far more than a list's size (checked
in the zip's directory before openpyxl reads a byte), rows beyond the cap (blank ones too: reading stops
there), a cell longer than its column and a formula (whose value openpyxl cannot compute).
The view only stores the file and shows the plain results returned here."""
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import openpyxl
import xlsxwriter
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
from openpyxl.xml.functions import fromstring
from sqlalchemy import select

from app.dates import DATE_EXPECTED, parse_date
from app.labels import EMPLOYER_LABELS
from app.models import (DevelopmentZone, EconomicType, Employer, EnterpriseSize, Industry, OrgUnit,
                        ProductionStatus, RegistrationType, RiskClass, db)
from app.models.bounds import max_length
from app.models.org import TOWNSHIP
from app.scoping import apply_scope
from app.xlsx import TEXT_AS_TEXT

HEADER_ROW = 2  # row 1 holds the instructions; data starts on row 3 (Excel's numbering)
MAX_ROWS = 5000  # one township's list; a bigger file is a mistake, not a list
# What each part of the zip may unpack to, by what openpyxl makes of it (zipfile never yields more than a
# part declares). The first sheet is read as a stream: a full list of MAX_ROWS rows is about 9 MB. The
# shared strings are held whole, a list's are about 2 MB. Every other part openpyxl reads (styles, workbook,
# relationships) becomes objects of about a hundred times its size and takes seconds per MB.
SHEET_BYTES = 16 * 2 ** 20
SHARED_STRINGS_BYTES = 8 * 2 ** 20
OTHER_PART_BYTES = 256 * 2 ** 10
VALUE_MAX = 200  # a coded, number, date or flag cell: the longest code-table name


@dataclass(frozen=True)
class ImportColumn:
    field: str
    kind: str  # text, integer, decimal, date, flag, township, parent, or a dictionary model
    dictionary: type | None = None
    required: bool = False
    label_key: str | None = None  # the label's key when not the field's

    @property
    def label(self):
        return EMPLOYER_LABELS[self.label_key or self.field]

    @property
    def max_length(self) -> int:
        """The longest cell the column takes: a text column's length in the model, as the form's."""
        if self.kind == "text":
            return max_length(Employer.__table__.c[self.field])
        return VALUE_MAX


COLUMNS = [
    ImportColumn("name", "text", required=True),
    ImportColumn("credit_code", "text"),
    ImportColumn("credit_code_pending", "flag"),
    ImportColumn("is_branch", "flag"),
    # Annex 4 cover, note 3: a branch names its parent by the credit code it gives, the parent's.
    ImportColumn("parent", "parent", label_key="parent_credit_code"),
    ImportColumn("organization_code", "text"),
    ImportColumn("development_zone", "dictionary", DevelopmentZone),
    ImportColumn("org_unit", "township", required=True),
    ImportColumn("workplace_address", "text"),
    ImportColumn("registered_district", "text"),
    ImportColumn("registered_township", "text"),
    ImportColumn("registered_address", "text"),
    ImportColumn("postcode", "text"),
    ImportColumn("phone", "text"),
    ImportColumn("start_date", "date"),
    ImportColumn("registered_on", "date"),  # Annex 4 cover's 建档日期; blank: today
    ImportColumn("industry", "dictionary", Industry),
    ImportColumn("legal_representative", "text"),
    ImportColumn("contact_person", "text"),
    ImportColumn("contact_phone", "text"),
    ImportColumn("total_workers", "integer"),
    ImportColumn("female_workers", "integer"),
    ImportColumn("outsourced_workers", "integer"),
    ImportColumn("annual_revenue", "decimal"),
    ImportColumn("economic_type", "dictionary", EconomicType),
    ImportColumn("enterprise_size", "dictionary", EnterpriseSize),
    ImportColumn("registration_type", "dictionary", RegistrationType),
    ImportColumn("products", "text"),
    ImportColumn("raw_materials", "text"),
    ImportColumn("has_hazard", "flag"),
    ImportColumn("risk_class", "dictionary", RiskClass),
    ImportColumn("hazard_declared", "flag"),
    ImportColumn("declared_on", "date"),
    ImportColumn("declaration_receipt_number", "text"),
    ImportColumn("declaration_receipt_on", "date"),
    ImportColumn("production_status", "dictionary", ProductionStatus),
]
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
MAX_COLUMNS = 2 * len(COLUMNS)  # cells further right are not read (each row would be padded to them)
YES, NO = _l("Yes"), _l("No")
INSTRUCTIONS = _l("Fill in one employer per row from row 3 on; keep the headers of row 2. Choose township, "
                  "industry and other coded columns from the drop-down lists (a township may also be given by "
                  "its 9-digit code); flags are Yes or No; dates as yyyy-mm-dd. Either a credit code or 'not yet "
                  "obtained' = Yes. A branch without legal-person status: Branch = Yes and its parent's credit "
                  "code (the parent registered already or listed in the file). Nothing is imported until every "
                  "row is correct.")


@dataclass(frozen=True)
class Problem:
    row: int  # Excel's row number; 0 for a problem of the whole file
    column: str
    message: str


@dataclass
class ImportResult:
    employers: list[Employer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({problem.row for problem in self.problems})


def _active(model):
    return db.session.scalars(select(model).where(model.active.is_(True))
                              .order_by(model.sort_order, model.code)).all()


def _townships_in_scope():
    return apply_scope(db.session.query(OrgUnit), OrgUnit).filter(OrgUnit.level == TOWNSHIP) \
        .order_by(OrgUnit.path).all()


def township_label(unit: OrgUnit) -> str:
    """A township's drop-down text: its name and 9-digit code, unambiguous where two districts share a name."""
    return f"{unit.name}（{unit.code}）"


def _township_key(text: str) -> str:
    """One spelling for a township's text: ASCII brackets."""
    return text.replace("(", "（").replace(")", "）")


def _townships_by_text(units) -> dict[str, list[OrgUnit]]:
    """Each text that names a township — its name, 9-digit code (统计用区划代码), code path as the portal
    shows it (with or without the last slash), its drop-down text — to the townships it fits (a name may fit
    several)."""
    found = {}
    for unit in units:
        for text in {unit.name, unit.code, unit.path, unit.path.rstrip("/"), township_label(unit)}:
            found.setdefault(_township_key(text), []).append(unit)
    return found


def _choices() -> dict[str, list[str]]:
    """The drop-down values of each coded column: names as the clerk reads them."""
    choices = {"township": [township_label(unit) for unit in _townships_in_scope()], "flag": [str(YES), str(NO)]}
    for column in COLUMNS:
        if column.dictionary is not None:
            choices[column.field] = [entry.name for entry in _active(column.dictionary)]
    return choices


def template_workbook() -> bytes:
    """The template: instructions, headers in the user's language, drop-downs fed from a hidden sheet
    (a list typed into the validation itself is capped at 255 characters, too short for industries)."""
    buffer = io.BytesIO()
    # Names are text: a township named "=HYPERLINK(…)" must not become a live formula or link.
    # Written in memory, not through app.xlsx: its lists go column by column, which constant memory cannot.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_AS_TEXT})
    sheet = book.add_worksheet(str(_l("Employers")))
    lists = book.add_worksheet("lists")
    header = book.add_format({"bold": True, "border": 1, "align": "center", "text_wrap": True,
                              "bg_color": "#DDEBF7"})
    note = book.add_format({"text_wrap": True, "valign": "top", "font_color": "#C00000"})
    sheet.merge_range(0, 0, 0, len(COLUMNS) - 1, str(INSTRUCTIONS), note)
    sheet.set_row(0, 48)
    choices = _choices()
    list_col = 0
    for col, column in enumerate(COLUMNS):
        label = str(column.label) + (" *" if column.required else "")
        sheet.write_string(HEADER_ROW - 1, col, label, header)
        values = choices.get(column.field) or choices.get(column.kind)
        if values is None:
            continue
        lists.write_column(0, list_col, values)
        letter = xlsxwriter.utility.xl_col_to_name(list_col)
        sheet.data_validation(HEADER_ROW, col, MAX_ROWS + HEADER_ROW, col, {
            "validate": "list", "source": f"=lists!${letter}$1:${letter}${max(len(values), 1)}",
            "error_title": str(column.label), "error_message": str(_l("Choose a value from the list")),
        })
        list_col += 1
    sheet.set_column(0, len(COLUMNS) - 1, 16)
    sheet.freeze_panes(HEADER_ROW, 1)
    lists.hide()
    book.close()
    return buffer.getvalue()


def _header_labels() -> dict[str, str]:
    """Header text → field, in every language of the portal, so a template downloaded in one language
    is read in the other; the required mark ' *' is optional."""
    found = {}
    for locale in current_app.config.get("LANGUAGES", {"zh": None}):
        with force_locale(locale):
            for column in COLUMNS:
                found[str(column.label)] = column.field
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Reader:
    """Turns cells into model values; a cell that cannot be read is a problem, and its field stays empty."""

    def __init__(self):
        self.dictionaries = {}
        for column in COLUMNS:
            if column.dictionary is not None:
                entries = _active(column.dictionary)
                lookup = {entry.code: entry for entry in entries}
                lookup.update({entry.name: entry for entry in entries})
                self.dictionaries[column.field] = lookup
        self.in_scope = _townships_by_text(_townships_in_scope())
        self.townships = _townships_by_text(db.session.scalars(select(OrgUnit).where(OrgUnit.level == TOWNSHIP)))
        self.flags = {}
        for locale in current_app.config.get("LANGUAGES", {"zh": None}):
            with force_locale(locale):
                self.flags.update({str(YES).lower(): True, str(NO).lower(): False})

    def read(self, column: ImportColumn, cell):
        """(value, problem message or None)."""
        if cell.data_type == "f":
            return None, _l("Formula cell: enter the value instead")
        value, text = cell.value, _text(cell.value)
        if len(text) > column.max_length:
            return None, _l("Longer than %(n)d characters", n=column.max_length)
        if text == "":
            if column.required:
                return None, _l("This column is required")
            return (False if column.kind == "flag" else None), None
        if column.kind == "text":
            return text, None
        if column.kind == "integer":
            try:
                number = Decimal(text)
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite() or number != number.to_integral_value():
                return None, _l("Enter a whole number")
            return int(number), None
        if column.kind == "decimal":
            try:
                return Decimal(text), None
            except InvalidOperation:
                return None, _l("Enter a number")
        if column.kind == "date":
            if isinstance(value, datetime):
                return value.date(), None
            if isinstance(value, date):
                return value, None
            day = parse_date(text)
            if day is None:
                return None, DATE_EXPECTED
            return day, None
        if column.kind == "flag":
            if text.lower() not in self.flags:
                return None, _l("Enter Yes or No")
            return self.flags[text.lower()], None
        if column.kind == "township":
            return self.township(text)
        if column.kind == "parent":  # resolved once every row is read: the parent may be further down
            return text.upper(), None
        entry = self.dictionaries[column.field].get(text)
        if entry is None:
            return None, _l("Not in the list; choose a value from the drop-down")
        return entry, None

    def township(self, text: str):
        """The one township in scope that the text fits; a text fitting several is told with the candidates."""
        key = _township_key(text)
        units = self.in_scope.get(key, [])
        if len(units) == 1:
            return units[0], None
        if units:
            return None, _l("Several townships/streets in your jurisdiction fit this: %(units)s; choose one "
                            "from the drop-down", units="、".join(township_label(unit) for unit in units))
        if key in self.townships:
            return None, _l("This township/street is outside your jurisdiction")
        return None, _l("No township/street has this name or code")


def _read_headers(headers) -> tuple[list[str | None], list[Problem]]:
    """The field of each column of row 2 (None where nothing is read), and a problem for each header that
    is not a template column, repeats one, or — for a required column — is missing."""
    labels, fields, found, seen = _header_labels(), [], [], {}
    for index, header in enumerate(headers):
        text, letter = _text(header).removesuffix("*").strip(), get_column_letter(index + 1)
        field = labels.get(text)
        if text and field is None:
            found.append(Problem(HEADER_ROW, letter, str(_l("“%(header)s” is not a column of the template",
                                                            header=text))))
        elif field in seen:
            found.append(Problem(HEADER_ROW, letter, str(_l("“%(header)s” is already column %(letter)s",
                                                            header=text, letter=seen[field]))))
            field = None
        elif field is not None:
            seen[field] = letter
        fields.append(field)
    for column in COLUMNS:
        if column.required and column.field not in seen:
            found.append(Problem(HEADER_ROW, str(column.label), str(_l("This required column is missing"))))
    return fields, found


def _oversized(archive: zipfile.ZipFile) -> bool:
    """Whether a part unpacks to more than a list needs (a few KB may unpack to GB). The shared strings and
    the first sheet are found as openpyxl finds them, reading only parts already known to be small, so no
    part can pass for one of them to get their larger limit."""
    sizes = {info.filename: info.file_size for info in archive.infolist()}

    def small(*names):
        return all(sizes.get(name, 0) <= OTHER_PART_BYTES for name in names)

    if not small(ARC_CONTENT_TYPES):
        return True
    manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
    workbook = _find_workbook_part(manifest).PartName[1:]
    if not small(workbook, get_rels_path(workbook)):
        return True
    parser = WorkbookParser(archive, workbook, keep_links=False)
    parser.parse()
    # the first worksheet (openpyxl's worksheets[0]): chart sheets are parsed whole, other sheets never read
    first = next((rel.target for _, rel in parser.find_sheets()
                  if rel.target in sizes and "chartsheet" not in rel.Type), None)
    limits = {first: SHEET_BYTES}
    strings = manifest.find(SHARED_STRINGS)
    if strings is not None:
        limits[strings.PartName[1:]] = SHARED_STRINGS_BYTES
    return any(size > limits.get(name, OTHER_PART_BYTES) for name, size in sizes.items())


def _choose_parent(employer: Employer, code: str, in_file: dict[str, Employer], found: dict) -> None:
    """The parent a branch's row names by its credit code: a row of the file that is no branch, else a
    registered employer that is no branch — within the user's jurisdiction (the model tells the rest)."""
    if not employer.is_branch:
        found["parent"] = _l("Only a branch names a parent employer: set Branch to Yes or clear this cell")
        return
    if code in in_file:
        employer.parent = in_file[code]
        return
    # by its id: linked to the registered parent, a refused row would join its branches and the session
    employer.parent_id = db.session.scalar(select(Employer.id).where(Employer.credit_code == code,
                                                                     Employer.is_branch.is_(False)))
    if employer.parent_id is None:
        found["parent"] = _l("No employer that is not a branch has this credit code, in the register or in "
                             "this file")


def check_workbook(content: bytes) -> ImportResult:
    """Read a filled template: every bad cell as a problem, and the employers only when there is none."""
    result = ImportResult()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            oversized = _oversized(archive)
        if oversized:
            result.problems.append(Problem(0, "", str(_l(
                "The file unpacks to far more than a list of %(n)d employers needs: remove very long cells, "
                "pictures and formatting, or split the list", n=MAX_ROWS))))
            return result
        # Not data_only: a formula is told as such rather than read as its cached value or as blank.
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, keep_links=False)
    except Exception:  # zipfile and openpyxl raise many kinds for a file that is not an xlsx workbook
        result.problems.append(Problem(0, "", str(_l("The file is not an Excel workbook (.xlsx)"))))
        return result
    last_row = HEADER_ROW + MAX_ROWS
    rows = book.worksheets[0].iter_rows(min_row=HEADER_ROW, max_row=last_row + 1, max_col=MAX_COLUMNS)
    headers = [cell.value for cell in next(rows, ())]
    fields, result.problems = _read_headers(headers)
    if any(column.required and column.field not in fields for column in COLUMNS):
        return result  # every row would repeat it
    blank = {index for index, header in enumerate(headers) if _text(header) == ""}
    reader, seen_codes, candidates, told, rows_read = _Reader(), {}, [], set(), []
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        if number > last_row:  # blank rows count: a sheet formatted down to row 1 048 576 stops here
            result.problems.append(Problem(number, "", str(_l(
                "A file holds at most %(n)d rows below the headers (blank rows count too): delete the rows "
                "below row %(last)d or split the list", n=MAX_ROWS, last=last_row))))
            break
        for index, cell in enumerate(row):
            # a value under no header would be dropped unseen: told once per column
            if (index in blank or index >= len(headers)) and index not in told and _text(cell.value) != "":
                result.problems.append(Problem(number, get_column_letter(index + 1), str(_l(
                    "This column has data but no header in row 2: add the header or clear the data"))))
                told.add(index)
        cells = {f: cell for f, cell in zip(fields, row) if f is not None}
        if all(_text(cell.value) == "" for cell in cells.values()):
            continue
        found, employer, parent_code = {}, Employer(), None
        for column in COLUMNS:
            value, problem = reader.read(column, cells.get(column.field, EMPTY_CELL))
            if problem is not None:
                found[column.field] = problem
            elif column.kind == "parent":
                parent_code = value
            else:
                setattr(employer, column.field, value)
        rows_read.append((number, employer, parent_code, found))
    # A branch's parent may be a row of the file (above or below it) or an employer already registered.
    in_file = {employer.credit_code.upper(): employer for _, employer, _, _ in rows_read
               if employer.credit_code and not employer.is_branch}
    for number, employer, parent_code, found in rows_read:
        if parent_code is not None:
            _choose_parent(employer, parent_code, in_file, found)
        employer.clean()
        for name, message in employer.all_problems().items():
            found.setdefault(name, message)
        code = employer.credit_code
        if code and "credit_code" not in found and not employer.is_branch:
            if code in seen_codes:
                found["credit_code"] = _l("The same credit code is on row %(row)d of this file",
                                          row=seen_codes[code])
            else:
                seen_codes[code] = number
        for name, message in found.items():
            label = COLUMN_BY_FIELD[name].label if name in COLUMN_BY_FIELD else EMPLOYER_LABELS.get(name, name)
            result.problems.append(Problem(number, str(label), str(message)))
        candidates.append(employer)
    result.problems.sort(key=lambda problem: problem.row)
    if not candidates and not result.problems:
        result.problems.append(Problem(0, "", str(_l("The file has no employer rows"))))
    if not result.problems:
        result.employers = candidates
    return result


def import_employers(content: bytes) -> ImportResult:
    """All or nothing: a file with any problem changes nothing; a clean one is inserted in one
    transaction (archive numbers are given at the flush, consecutively per township)."""
    result = check_workbook(content)
    if result.problems:
        return result
    db.session.add_all(result.employers)
    db.session.commit()
    return result
