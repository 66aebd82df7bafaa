"""The identifier rules of DOMAIN.md §6, on valid and invalid examples."""
from datetime import date

import pytest

from app.codes import (id_number_birth_date, id_number_problem, id_number_sex, mask, org_code_problem,
                       uscc_check_char, uscc_problem)

VALID_USCC = [
    "91310000MA1FL8LQ5A",  # a Shanghai-shaped enterprise code (department 9, category 1)
    "91350100M000100Y43",  # the GB 32100 worked example
]


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_credit_codes_pass(code):
    assert uscc_problem(code) is None


def test_n2_code_with_right_check_character_passes_and_wrong_one_fails():
    first17 = "N2310115MF0000001"
    good = first17 + uscc_check_char(first17)
    assert uscc_problem(good) is None
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    assert "校验码错误" in uscc_problem(wrong)


@pytest.mark.parametrize("code, fragment", [
    ("91310000MA1FL8LQ5", "应为18位"),
    ("91310000MA1FL8LQ5MX", "应为18位"),
    ("91310000MA1FL8LO5M", "不允许的字符：O"),
    ("B1310000MA1FL8LQ5M", "第1位"),
    ("9131A000MA1FL8LQ5M", "第3–8位"),
    ("91310000MA1FL8LQ5N", "校验码错误，应为 A"),
])
def test_invalid_credit_codes_are_refused_with_reason(code, fragment):
    assert fragment in uscc_problem(code)


def test_organisation_code_check_digit():
    assert org_code_problem("D2143569X") is None  # GB 11714 example
    assert "校验码错误" in org_code_problem("D21435691")
    assert "应为9位" in org_code_problem("D2143569")


def test_id_number_rules():
    first17 = "31015120000101123"
    from app.codes import id_number_check_char
    number = first17 + id_number_check_char(first17)
    # 310151 崇明区 exists since 2016; someone born there in 2000 is still valid.
    assert id_number_problem(number) is None
    assert id_number_birth_date(number) == date(2000, 1, 1)
    assert id_number_sex(number) == "male"  # 17th digit 3 is odd
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    assert "校验码错误" in id_number_problem(wrong)
    future = "310151" + "20991231" + "123"
    future += id_number_check_char(future)
    assert id_number_problem(future, today=date(2026, 11, 23)) == "出生日期不能晚于今天"
    assert "有效日期" in id_number_problem("310151" + "20000231" + "1234")


def test_mask_keeps_only_the_ends():
    assert mask("310151200001011234") == "310***********1234"
    assert mask("13812345678") == "138****5678"
    assert mask("") == ""
