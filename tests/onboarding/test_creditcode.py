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
