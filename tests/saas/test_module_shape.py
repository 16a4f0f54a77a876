"""Every app has the same faces: rules a reviewer can find in one place, called one way.

These scan the source, so they also hold for modules written after them."""

import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "onboarding", "tenants", "toolkit", "saas", "billing", "training"]


def _selector_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*selectors*.py")) if (ROOT / app).is_dir() else []:
            if "migrations" in path.parts:
                continue
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts)


SELECTOR_MODULES = list(_selector_modules())


def test_the_selector_modules_are_found():
    # A scan that finds nothing passes everything: make sure it sees the known modules.
    assert {"toolkit.life.selectors", "toolkit.org.selectors", "accounts.selectors",
            "onboarding.selectors", "tenants.selectors"} <= set(SELECTOR_MODULES)


@pytest.mark.parametrize("module_name", SELECTOR_MODULES)
def test_every_selector_takes_keyword_only_arguments(module_name):
    module = importlib.import_module(module_name)
    positional = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__:
            continue  # imported from elsewhere: checked in its own module
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
                positional.append(f"{name}({parameter.name})")
    assert positional == [], f"{module_name}: not keyword-only: {positional}"


# `role == "…"`, `role != '…'`, `"…" == user.role`, and `role in "…"`-style comparisons.
BARE_ROLE = re.compile(r"""role\s*(==|!=|\bin\b)\s*["']|["']\s*(==|!=)\s*[\w.]*\brole\b""")


def test_no_template_compares_a_role_to_a_bare_string():
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "templates").rglob("*.html"))
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if BARE_ROLE.search(line)]
    assert offenders == []


def test_the_role_scan_would_catch_a_bare_string():
    assert BARE_ROLE.search('{% if user.role == "company_admin" %}')
    assert BARE_ROLE.search("{% if 'member' != request.user.role %}")
    assert not BARE_ROLE.search("{% if user.is_company_admin %}")
    assert not BARE_ROLE.search('<p class="flash" role="alert">')


BARE_ROLE_IN_PYTHON = re.compile(
    r"""\brole\s*(==|!=|=)\s*["'](staff|trainer|company_admin|member)["']""")


def test_no_python_compares_or_sets_a_role_as_a_bare_string():
    """Roles are the `Role` enum in code and tests alike (migrations keep their history)."""
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for folder in APPS + ["tests", "demo", "bench"] if (ROOT / folder).is_dir()
                 for path in sorted((ROOT / folder).rglob("*.py"))
                 if "migrations" not in path.parts and path != Path(__file__).resolve()
                 for number, line in enumerate(path.read_text().splitlines(), start=1)
                 if BARE_ROLE_IN_PYTHON.search(line)]
    assert offenders == []
