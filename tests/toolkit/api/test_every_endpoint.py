"""Two rules for EVERY endpoint, walked from the URLconf so a new one cannot be forgotten:
company A's token is nothing on company B's host (401), and nobody anonymous gets past the
door except to log in or read the schema and its docs."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.toolkit.api.conftest import api_login

pytestmark = pytest.mark.django_db
OPEN = {"auth/login/", "schema/", "docs/"}  # anyone may log in or read the published schema


def _api_paths() -> list[tuple[str, set[str]]]:
    """(path with ids filled in, the methods it answers) for every /api/v1/ pattern."""
    paths = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                view = pattern.callback
                methods = set(getattr(getattr(view, "cls", None), "http_method_names", ["get"]))
                allowed = {m for m in ("get", "post", "put", "patch", "delete")
                           if m in methods and hasattr(getattr(view, "cls", object), m)}
                paths.append((re.sub(r"<(?:\w+:)?\w+>", "1", route), allowed or {"get"}))

    walk(get_resolver("saas.urls_tenant").url_patterns, "")
    return paths


def test_the_walk_finds_every_area():
    paths = {path for path, _methods in _api_paths()}
    for area in ("api/v1/me/", "api/v1/arena/tasks/", "api/v1/meetings/", "api/v1/dues/mine/",
                 "api/v1/members/", "api/v1/mall/manage/rewards/", "api/v1/org/tree/"):
        assert area in paths
    assert len(paths) > 35


def test_a_token_of_company_a_is_nothing_on_company_b_anywhere(org_a, org_b, api):
    token = api_login(Client(), "alpha.localhost", org_a.members[2].user.mobile)
    failures = []
    for path, methods in _api_paths():
        if path.removeprefix("api/v1/") in OPEN:
            continue
        for method in sorted(methods):
            response = api(method, "beta.localhost", "/" + path, token)
            if response.status_code != 401:
                failures.append(f"{method.upper()} /{path} → {response.status_code}")
    assert not failures, "\n".join(failures)


def test_anonymous_callers_are_turned_away_everywhere(org_a, api):
    failures = []
    for path, methods in _api_paths():
        if path.removeprefix("api/v1/") in OPEN:
            continue
        for method in sorted(methods):
            response = api(method, "alpha.localhost", "/" + path)
            if response.status_code != 401:
                failures.append(f"{method.upper()} /{path} → {response.status_code}")
    assert not failures, "\n".join(failures)
