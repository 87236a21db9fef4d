"""Personal data: identity and mobile numbers stop the build unless masked, and never leak."""

from __future__ import annotations

from typing import Any

import pytest
from datadir import DataDir, errors, find, resource_of

from generator.validate.privacy import (
    check_digit_matches,
    find_personal_data,
    is_id_number,
    mask,
    redact,
)
from generator.validate.report import render_json, render_text
from generator.validate.rules import PACKAGE_RULES

# Made up: a real birth date, a province code, the right check digit (and one wrong).
ID_NUMBER = "53072219900101123X"
ID_BAD_CHECK = "530722199001011230"
MOBILE = "13812345678"
SECRETS = (ID_NUMBER, ID_BAD_CHECK, MOBILE, "1990010112")


def _contact(data_dir: DataDir, value: str) -> list[Any]:
    data_dir.add_package()
    data_dir.replace(
        "minimal/announcements.csv",
        '"Yongsheng County Poverty Alleviation Office, tel. 0888-6512345"',
        f'"{value}"',
    )
    return data_dir.validate().problems


def _declare_personal(descriptor: dict[str, Any], resource: str, field: str) -> None:
    fields = resource_of(descriptor, resource)["schema"]["fields"]
    next(f for f in fields if f["name"] == field)["personal"] = "masked"


def test_rule_is_registered() -> None:
    assert "personal-data" in {rule.code for rule in PACKAGE_RULES}


# Finding


def test_check_digit() -> None:
    assert check_digit_matches(ID_NUMBER)
    assert not check_digit_matches(ID_BAD_CHECK)


@pytest.mark.parametrize("number", [ID_NUMBER, ID_BAD_CHECK, "110105200002290011"])
def test_identity_numbers(number: str) -> None:
    assert is_id_number(number)


@pytest.mark.parametrize(
    "number",
    [
        "530722199013011234",  # month 13
        "530722190002290012",  # 1900 was no leap year
        "000722199001011234",  # no province 00
        "123456789012345678",
        "53072219900101123",  # 17 digits
    ],
)
def test_not_identity_numbers(number: str) -> None:
    assert not is_id_number(number)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"ID {ID_NUMBER} here", "5307**********123X"),
        (f"身份证号{ID_BAD_CHECK}。", "5307**********1230"),
        (f"tel. {MOBILE}", "138****5678"),
        ("tel. 138-1234-5678", "138****5678"),
        ("tel. 138 1234 5678", "138****5678"),
        ("+8613812345678", "138****5678"),
        ("+86 138 1234 5678", "138****5678"),
        ("电话１３８１２３４５６７８", "138****5678"),  # full-width digits
        ("tel. 138\u200b1234\u200b5678", "138****5678"),  # zero-width spaces
        ("530722********1234", "5307**********1234"),  # masked, but less than required
        ("1381234****", "138********"),
    ],
)
def test_found_and_masked(text: str, masked: str) -> None:
    [finding] = find_personal_data(text)
    assert finding.masked == masked


@pytest.mark.parametrize(
    "text",
    [
        "tel. 0888-5100000",
        "tel. 0888-6512345",
        "138123456789",  # 12 digits: not a mobile
        "213812345678",
        "Budget 13,812,345,678 yuan",
        "5307**********1234",
        "138****5678",
        "Region 530722208 and 530722101201",
        "**bold** and ***",
        "Yongsheng Finance [2019] No. 12",
        "150 2019-2020",  # mixed separators: not a written mobile
    ],
)
def test_not_found(text: str) -> None:
    assert find_personal_data(text) == []


def test_declared_field_masks_every_long_number() -> None:
    findings = find_personal_data("Li, 0888-5100000, 13812345678", declared=True)
    assert [f.masked for f in findings] == ["138****5678", "***0000"]
    assert find_personal_data("Li, 138****5678", declared=True) == []


def test_mask_and_redact() -> None:
    assert mask(ID_NUMBER) == "5307**********123X"
    assert mask("138-1234-5678") == "138****5678"
    assert redact(f"a {ID_NUMBER} b {MOBILE} c 0888-5100000 d 10000000000000") == (
        "a 5307**********123X b 138****5678 c 0888-5100000 d 10000000000000"
    )
    assert redact("the value is 53072219900101123…") == "the value is *****************…"


# The rule in validation


@pytest.mark.parametrize(
    ("value", "masked"), [(ID_NUMBER, "5307**********123X"), (MOBILE, "138****5678")]
)
def test_in_a_contact(data_dir: DataDir, value: str, masked: str) -> None:
    problems = _contact(data_dir, f"Mr Li, {value}")
    [problem] = find(problems, "personal-data")
    assert (problem.path, problem.row, problem.field) == (
        "minimal/announcements.csv",
        2,
        "contact",
    )
    assert problem.severity == "error" and problem.value == masked
    assert masked in problem.message


def test_in_every_text_table(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/projects.csv", "Renovation of unsafe houses.", f"Call {MOBILE}.")
    data_dir.replace("minimal/regions.csv", "a village without", f"head {ID_NUMBER} without")
    data_dir.replace(
        "minimal/funds.csv",
        "Yongsheng Finance [2019] No. 12,Fixture.,true\nf2",
        f"{MOBILE},Fixture.,true\nf2",
    )
    data_dir.replace(
        "minimal/announcements.csv", "before 11 February.", f"before 11 February, {MOBILE}."
    )
    problems = find(data_dir.validate().problems, "personal-data")
    assert {(p.path, p.row, p.field) for p in problems} == {
        ("minimal/projects.csv", 4, "description"),
        ("minimal/regions.csv", 5, "source"),
        ("minimal/funds.csv", 2, "document"),
        ("minimal/announcements.csv", 2, "body"),
    }


def test_in_the_package_description(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", lambda d: d.update(description=f"Ask Li, {MOBILE}."))
    [problem] = find(data_dir.validate().problems, "personal-data")
    assert (problem.path, problem.row, problem.field) == (
        "minimal/datapackage.json",
        None,
        "description",
    )


def test_masked_values_pass_anywhere(data_dir: DataDir) -> None:
    problems = _contact(data_dir, "Mr Li, 138****5678, ID 5307**********123X")
    assert not find(problems, "personal-data")
    assert not errors(problems)


def test_declared_personal_field_passes_masked_values(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", lambda d: _declare_personal(d, "announcements", "contact"))
    data_dir.replace("minimal/announcements.csv", "tel. 0888-6512345", "tel. 138****5678")
    assert not errors(data_dir.validate().problems)


def test_declared_personal_field_refuses_unmasked_values(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", lambda d: _declare_personal(d, "announcements", "contact"))
    problems = data_dir.validate().problems
    # the office landline is a long number like any other in a personal field
    [problem] = find(problems, "personal-data", row=2, field="contact")
    assert problem.value == "***2345"
    assert not find(problems, "schema-mismatch")


def test_other_declarations_are_schema_mismatches(data_dir: DataDir) -> None:
    data_dir.add_package()

    def declare(descriptor: dict[str, Any]) -> None:
        fields = resource_of(descriptor, "announcements")["schema"]["fields"]
        next(f for f in fields if f["name"] == "contact")["personal"] = True

    data_dir.edit_descriptor("minimal", declare)
    [problem] = find(data_dir.validate().problems, "schema-mismatch")
    assert problem.field == "contact"


def test_the_report_never_shows_the_number(data_dir: DataDir) -> None:
    problems = _contact(data_dir, f"Li {ID_NUMBER}, {ID_BAD_CHECK}, {MOBILE}")
    assert len(find(problems, "personal-data")) == 3
    for report in (render_text(problems), render_json(problems, ok=False)):
        assert not any(secret in report for secret in SECRETS)


def test_other_problems_do_not_echo_the_number_either(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/announcements.csv", "mailto:feedback@example.org", f"tel:{MOBILE}")
    data_dir.replace("minimal/projects.csv", "Renovation of unsafe houses.", f"{ID_NUMBER}" * 300)
    problems = data_dir.validate().problems
    [pattern] = find(problems, "constraint-error", field="contact_url")
    assert pattern.value == "tel:138****5678"
    assert find(problems, "constraint-error", field="description")
    for report in (render_text(problems), render_json(problems, ok=False)):
        assert not any(secret in report for secret in SECRETS)
