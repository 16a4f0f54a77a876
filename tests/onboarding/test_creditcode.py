import pytest

from onboarding import creditcode
from tests.onboarding.conftest import VALID_CODES


@pytest.mark.parametrize("code", VALID_CODES + ["91350100m000100y43", " 9135 0100 M000 100Y43 "])
def test_known_valid_codes_pass(code):
    assert creditcode.problem(code) is None


@pytest.mark.parametrize("code, problem", [
    ("91350100M000100Y44", "check"),   # last character changed
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("91350100M0001O0Y43", "alphabet"),  # letter O is not in the alphabet
    ("913501I0M000100Y43", "alphabet"),
    ("9135A100M000100Y43", "division"),
    ("913300007125582802", "check"),
])
def test_known_invalid_codes_fail_with_the_reason(code, problem):
    assert creditcode.problem(code) == problem


def _with_check(first17: str) -> str:
    return first17 + creditcode.check_character(first17)


@pytest.mark.parametrize("first17, problem", [
    ("B1350100M000100Y4", "department"),  # B: no registration department
    ("01350100M000100Y4", "department"),
    ("X1350100M000100Y4", "department"),
    ("94350100M000100Y4", "type"),  # 工商 registers types 1, 2, 3 (and 9)
    ("Y2350100M000100Y4", "type"),  # 其他: type 1 only
    ("5A350100M000100Y4", "type"),
])
def test_unassigned_department_or_type_is_refused_even_with_a_right_check_character(
        first17, problem):
    assert creditcode.problem(_with_check(first17)) == problem


@pytest.mark.parametrize("first17", ["11350100M000100Y4", "53350100M000100Y4",
                                     "31350100M000100Y4", "N2350100M000100Y4",
                                     "Y1350100M000100Y4", "A9350100M000100Y4"])
def test_assigned_departments_and_types_pass(first17):
    assert creditcode.problem(_with_check(first17)) is None
