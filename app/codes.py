"""Check characters of the national identifier codes (DOMAIN.md §6).

Own implementations: python-stdnum 2.2 refuses valid credit codes with a letter prefix (e.g. ``N2…``
village collectives) and ID numbers whose address code is newer than the birth year.
"""
import re
from datetime import date

EARLIEST_DATE = date(1900, 1, 1)  # exclusive: a spreadsheet's placeholder, not a date anyone meant

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_DEPARTMENTS = "123456789ANY"

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_PATTERN = re.compile(r"^[0-9A-Z]{8}[0-9X]$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code (GB 32100-2015), or None."""
    if len(code) != 18:
        return "应为18位"
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return f"含有不允许的字符：{''.join(bad)}（不使用 I、O、S、V、Z）"
    if code[0] not in USCC_DEPARTMENTS:
        return "第1位登记管理部门代码应为1–9、A、N或Y"
    if not code[2:8].isdigit():
        return "第3–8位应为行政区划代码（6位数字）"
    if uscc_check_char(code[:17]) != code[17]:
        return f"校验码错误，应为 {uscc_check_char(code[:17])}"
    return None


def org_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid organisation code (GB 11714-1997), or None."""
    if not ORG_CODE_PATTERN.match(code):
        return "应为9位（8位数字或大写字母加1位校验码）"
    total = sum(int(ch, 36) * w for ch, w in zip(code[:8], ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    if code[8] != expected:
        return f"校验码错误，应为 {expected}"
    return None


def id_number_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS)) % 11]


def id_number_problem(number: str, today: date | None = None) -> str | None:
    """Why ``number`` is not a valid resident ID number (GB 11643-1999), or None."""
    if len(number) != 18 or not number[:17].isdigit() or number[17] not in "0123456789X":
        return "应为18位（前17位数字，末位数字或X）"
    try:
        birth = id_number_birth_date(number)
    except ValueError:
        return "出生日期（第7–14位）不是有效日期"
    if birth > (today or date.today()):
        return "出生日期不能晚于今天"
    if birth <= EARLIEST_DATE:
        return "出生日期须在1900年1月1日之后"
    if id_number_check_char(number[:17]) != number[17]:
        return f"校验码错误，应为 {id_number_check_char(number[:17])}"
    return None


def id_number_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_number_sex(number: str) -> str:
    """'male' or 'female': the 17th digit is odd for men."""
    return "male" if int(number[16]) % 2 else "female"


def mask(value: str | None, keep_start: int = 3, keep_end: int = 4) -> str:
    """``310***********1234``: personal numbers shown in lists and exports."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
