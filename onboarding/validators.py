from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onboarding import creditcode


def validate_credit_code(value: str) -> None:
    problem = creditcode.problem(value)
    messages = {
        "length": _("统一社会信用代码应为 18 位。"),
        "alphabet": _("统一社会信用代码只含数字和大写字母（不含 I、O、S、V、Z）。"),
        "department": _("统一社会信用代码第 1 位（登记管理部门）不正确，请核对。"),
        "type": _("统一社会信用代码第 2 位（机构类别）不正确，请核对。"),
        "division": _("统一社会信用代码第 3–8 位应为行政区划代码（数字）。"),
        "check": _("统一社会信用代码校验位不正确，请核对。"),
    }
    if problem:
        raise ValidationError(messages[problem], code=f"credit_code_{problem}")
