"""The public ↔ company boundary and "no import cycles" (docs/decisions/0010) are enforced: the
import contracts `make lint` runs hold on the tree, and break, naming the contract, when a
forbidden import is added to a copy of it; the import graph has no circles between modules or
between apps, imports inside functions included."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import import_graph

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _copy_tree(tmp_path: Path) -> Path:
    for package in import_graph.ROOT_PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copytree(ROOT / "tests", tmp_path / "tests", ignore=shutil.ignore_patterns(
        "__pycache__", "test_*", "browser", "*.png"))
    return tmp_path


def _inject(tree: Path, path: str, code: str) -> None:
    with open(tree / path, "a", encoding="utf-8") as module:
        module.write("\n\n" + code + "\n")


def _run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH is the copy alone: grimp must read the copy, never this checkout.
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_the_tree_keeps_every_import_contract():
    result = subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


FORBIDDEN = {
    "a company app imports a public app's views": (
        "toolkit/org/views.py", "from onboarding import views as public_views  # noqa",
        "Who may call whom"),
    "public code reads a company's models, inside a function": (
        "onboarding/selectors.py",
        "def peek():\n    from toolkit.org.models import Member\n\n    return Member",
        "Public code reaches into a company only through named services"),
    "public code imports a company's views": (
        "onboarding/services.py", "from onboarding.company import views as company_views  # noqa",
        "Public code reaches into a company only through named services"),
    "a service imports its task module inside a function (a circle)": (
        "tenants/services.py",
        "def later():\n    from tenants import tasks\n\n    return tasks",
        "No import cycles"),
    "the company half of onboarding imports the public half": (
        "onboarding/company/services.py",
        "def report():\n    from onboarding import services as public\n\n    return public",
        "The company half of onboarding never imports the public half"),
    "the organisation imports a toolkit module above it": (
        "toolkit/org/selectors.py", "from toolkit.points import models as points  # noqa",
        "Toolkit: the home page over the modules"),
    "core imports an app": (
        "core/errors.py", "from accounts.models import User  # noqa", "Who may call whom"),
}


@pytest.mark.parametrize("case", FORBIDDEN, ids=list(FORBIDDEN))
def test_lint_fails_on_a_forbidden_import_naming_the_contract(case, tmp_path):
    path, code, contract = FORBIDDEN[case]
    tree = _copy_tree(tmp_path)
    assert _run([LINT_IMPORTS, "--no-cache"], tree).returncode == 0  # the copy is clean
    _inject(tree, path, code)
    result = _run([LINT_IMPORTS, "--no-cache"], tree)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(line.startswith(contract) for line in broken), result.stdout


def test_no_module_imports_itself_through_others():
    graph = import_graph.build()
    assert import_graph.circles(import_graph.module_edges(graph)) == []


def test_no_two_apps_import_each_other():
    graph = import_graph.build()
    assert import_graph.circles(import_graph.app_edges(graph)) == []


def test_the_graph_sees_a_circle_made_by_an_import_inside_a_function(tmp_path):
    tree = _copy_tree(tmp_path)
    _inject(tree, "onboarding/company/import_services.py",
            "def later():\n    from onboarding.company import tasks\n\n    return tasks")
    _inject(tree, "toolkit/org/selectors.py",
            "def later():\n    from onboarding.company import services\n\n    return services")
    result = _run([sys.executable, "-m", "tests.import_graph"], tree)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert ["onboarding.company.import_services", "onboarding.company.tasks"] in found["modules"]
    assert ["onboarding.company", "toolkit.org"] in found["apps"]


PACKAGES = "|".join(import_graph.ROOT_PACKAGES)
TASK_NAME = re.compile(rf"""["']((?:{PACKAGES})(?:\.\w+)*\.tasks\.\w+_task)["']""")


def test_every_task_queued_by_name_is_one_the_worker_registers():
    """Services queue tasks by name (core.tasks.task_send), so a typo would only show in the
    worker's log: each name in the code is a task the worker finds at start-up."""
    from saas.celery import app

    names = {name for package in import_graph.ROOT_PACKAGES
             for source in (ROOT / package).rglob("*.py")
             for name in TASK_NAME.findall(source.read_text(encoding="utf-8"))}
    assert {"tenants.tasks.company_provision_task", "core.tasks.email_send_task",
            "onboarding.company.tasks.member_import_task"} <= names
    app.loader.import_default_modules()  # what a worker does first: autodiscovery
    assert names - set(app.tasks) == set()
