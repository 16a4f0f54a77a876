"""Refusal codes are part of the API contract: every raise names one, each is snake_case,
belongs to one refusal class, and is listed in docs/decisions/0011-one-refusal-type.md."""

import ast
import importlib
import re
from pathlib import Path

import pytest

from core.errors import Refused

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "billing", "core", "onboarding", "tenants", "toolkit", "training"]
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
DOC = ROOT / "docs" / "decisions" / "0011-one-refusal-type.md"
# Answers of access rules that carry a refusal's code until the service raises it with them
# (toolkit.mall.selectors.redeem_refusal → RedemptionRefused(refusal, code=refusal.code)).
CARRIERS = {"RedeemRefusal": "RedemptionRefused"}


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _refusal_classes() -> dict[str, type]:
    for path in _sources():
        importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts)
                                .removesuffix(".__init__"))
    found, todo = {}, [Refused]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _uses() -> list[tuple[str, str, str]]:
    """(class name, code or "", where) for every refusal made in the apps' code; a code
    passed on from another refusal (`code=refusal.code`) is left out."""
    classes = _refusal_classes()
    uses = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in classes:
                for item in node.body:
                    if (isinstance(item, ast.Assign) and item.targets[0].id == "code"
                            and isinstance(item.value, ast.Constant)
                            and item.value.value != "refused"):  # the base's fallback
                        uses.append((node.name, item.value.value, f"{path}:{item.lineno}"))
            calls = [node.exc] if isinstance(node, ast.Raise) else [node]
            for call in calls:
                if isinstance(node, ast.Raise) and isinstance(call, ast.Name) \
                        and call.id in classes:  # `raise Forbidden`
                    uses.append((call.id, classes[call.id].code, f"{path}:{node.lineno}"))
                if isinstance(call, ast.Call) and _called_name(call) in CARRIERS:
                    code = next(k.value for k in call.keywords if k.arg == "code")
                    uses.append((CARRIERS[_called_name(call)], code.value,
                                 f"{path}:{call.lineno}"))
                    continue
                if not (isinstance(call, ast.Call) and _called_name(call) in classes):
                    continue
                code = next((k.value for k in call.keywords if k.arg == "code"), None)
                where = f"{path}:{call.lineno}"
                if code is None:
                    default = classes[_called_name(call)].code
                    uses.append((_called_name(call), "" if default == "refused" else default,
                                 where))
                elif isinstance(code, ast.Constant):
                    uses.append((_called_name(call), code.value, where))
    return uses


@pytest.fixture(scope="module")
def uses():
    return _uses()


def test_every_refusal_names_a_snake_case_code(uses):
    assert len(uses) > 80
    bad = [use for use in uses if not SNAKE.match(use[1])]
    assert not bad, bad


def test_each_code_belongs_to_one_refusal_class(uses):
    owners: dict[str, set[str]] = {}
    for cls, code, _where in uses:
        owners.setdefault(code, set()).add(cls)
    shared = {code: classes for code, classes in owners.items() if len(classes) > 1}
    assert not shared, shared


def test_every_code_is_documented_and_every_documented_code_exists(uses):
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.MULTILINE))
    codes = {code for _cls, code, _where in uses}
    assert codes - documented == set(), "not in the decision record"
    assert documented - codes == set(), "documented but never raised"
