"""The project's import graph (grimp), for the architecture tests: circles between modules and
between apps. grimp reads every import statement, those inside functions included.

Run as a script (`python -m tests.import_graph`) it prints the circles found in the packages on
sys.path as JSON: the tests run it on a copy of the tree with an import injected."""

import json
import sys

import grimp

ROOT_PACKAGES = ("accounts", "api", "billing", "core", "demo", "onboarding", "saas", "tenants",
                 "toolkit", "training")
# The project's Django apps and its two app-less packages; a module belongs to the longest.
APPS = ("accounts", "api", "billing", "core", "demo", "onboarding", "onboarding.company", "saas",
        "tenants", "toolkit", "toolkit.home", "toolkit.life", "toolkit.mall", "toolkit.org",
        "toolkit.points", "toolkit.arena", "toolkit.learning", "toolkit.indices", "toolkit.quiz",
        "training", "toolkit.documents", "toolkit.blocks", "toolkit.acting", "toolkit.groups",
        "toolkit.projects", "toolkit.screen")


def build() -> grimp.ImportGraph:
    return grimp.build_graph(*ROOT_PACKAGES, cache_dir=None)


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def module_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {module: set(graph.find_modules_directly_imported_by(module))
            for module in graph.modules}


def app_of(module: str) -> str:
    return max((app for app in APPS if module == app or module.startswith(app + ".")), key=len)


def app_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for module, imported in module_edges(graph).items():
        edges.setdefault(app_of(module), set()).update(
            app_of(other) for other in imported if app_of(other) != app_of(module))
    return edges


if __name__ == "__main__":
    graph = build()
    json.dump({"modules": circles(module_edges(graph)), "apps": circles(app_edges(graph))},
              sys.stdout)
