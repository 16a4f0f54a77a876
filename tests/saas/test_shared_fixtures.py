"""Session fixtures that start a process (Chromium through Playwright, a Celery worker) exist
once. A test module that imports one by name defines a second instance for itself, alive to
the end of the session: two sync Playwrights refuse to start, and two workers on one Redis
queue take each other's tasks (an SMS written to the wrong worker's folder)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
ONCE = {"browser", "phone", "celery_worker", "localstripe_server"}


def test_no_test_module_imports_a_process_fixture():
    found = []
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path.relative_to(TESTS)}: {alias.name}" for alias in node.names
                          if alias.name in ONCE]
    assert found == []
