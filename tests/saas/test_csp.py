"""Content-Security-Policy: every page carries it, inline scripts carry the request's nonce,
templates hold no inline handlers or style attributes, and violations are reported to us."""

import json
import logging
import re
from pathlib import Path

from django.db import connection

from tests.toolkit.conftest import login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def test_pages_carry_the_policy_and_inline_scripts_its_nonce(client, org_a):
    login(client, "alpha.localhost", "admin")
    page = client.get("/org/", HTTP_HOST="alpha.localhost")
    connection.set_schema_to_public()
    policy = _policy(page)
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'"] and "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["report-uri"] == ["/csp-report/"]
    nonce = next(s for s in policy["script-src"] if s.startswith("'nonce-"))[7:-1]
    # Data islands (json_script) are not run, so they need no nonce.
    inline = re.findall(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))([^>]*)>",
                        page.content.decode())
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)

    public = client.get("/login/", HTTP_HOST="localhost")
    assert "'self'" in _policy(public)["script-src"]


def test_templates_have_no_inline_handlers_styles_or_unsigned_scripts():
    problems = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"\son[a-z]+\s*=", r"\sstyle\s*=", r"<style",
                        r"<script(?![^>]*\b(src|nonce)=)[^>]*>", r"javascript:"):
            problems += [f"{template.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert problems == []


def test_the_report_endpoint_logs_violations(client, public_tenant, caplog):
    report = {"csp-report": {"document-uri": "http://alpha.localhost/org/",
                             "violated-directive": "script-src-elem", "blocked-uri": "inline"}}
    with caplog.at_level(logging.WARNING, logger="saas.csp"):
        response = client.post("/csp-report/", json.dumps(report),
                               content_type="application/csp-report", HTTP_HOST="localhost")
    assert response.status_code == 204
    assert [r.csp_report for r in caplog.records if r.name == "saas.csp"] == [report["csp-report"]]


def test_the_report_endpoint_shrugs_off_junk(client, public_tenant, caplog):
    with caplog.at_level(logging.WARNING, logger="saas.csp"):
        assert client.post("/csp-report/", "not json", content_type="application/csp-report",
                           HTTP_HOST="localhost").status_code == 204
        assert client.post("/csp-report/", "[1, 2]", content_type="application/json",
                           HTTP_HOST="localhost").status_code == 204
        assert client.post("/csp-report/", "x" * 100_000, content_type="application/json",
                           HTTP_HOST="localhost").status_code == 204
    assert client.get("/csp-report/", HTTP_HOST="localhost").status_code == 405
    assert not [r for r in caplog.records if r.name == "saas.csp"]


def test_one_address_cannot_flood_the_log_with_reports(client, public_tenant, caplog):
    report = json.dumps({"csp-report": {"violated-directive": "img-src", "blocked-uri": "x"}})
    with caplog.at_level(logging.WARNING, logger="saas.csp"):
        for _ in range(130):
            assert client.post("/csp-report/", report, content_type="application/csp-report",
                               HTTP_HOST="localhost").status_code == 204
    assert len([r for r in caplog.records if r.name == "saas.csp"]) == 120
