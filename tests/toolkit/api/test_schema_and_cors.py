"""The committed OpenAPI schema is current and valid; CORS follows each company's own list."""

import subprocess
import sys
from pathlib import Path

import pytest
from django_tenants.utils import get_public_schema_name

from tenants.models import Company

ROOT = Path(__file__).resolve().parents[3]
A, B = "alpha.localhost", "beta.localhost"


def test_the_committed_schema_is_current_and_has_no_warnings(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    done = subprocess.run([sys.executable, "manage.py", "spectacular", "--validate",
                           "--fail-on-warn", "--file", str(fresh)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    committed = (ROOT / "docs/api/openapi.yaml").read_text()
    assert fresh.read_text() == committed, "docs/api/openapi.yaml is stale: run `make api-schema`"


@pytest.mark.django_db
def test_cors_allows_only_the_origins_the_company_listed(client, org_a, org_b):
    assert get_public_schema_name() == "public"
    Company.objects.filter(slug="alpha").update(api_origins="https://h5.alpha.example\n")
    asked = {"HTTP_ORIGIN": "https://h5.alpha.example",
             "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST"}
    on_a = client.options("/api/v1/auth/login/", HTTP_HOST=A, **asked)
    assert on_a["access-control-allow-origin"] == "https://h5.alpha.example"
    on_b = client.options("/api/v1/auth/login/", HTTP_HOST=B, **asked)  # B never listed it
    assert "access-control-allow-origin" not in on_b
    stranger = client.options("/api/v1/auth/login/", HTTP_HOST=A,
                              **{**asked, "HTTP_ORIGIN": "https://evil.example"})
    assert "access-control-allow-origin" not in stranger
    # Pages are not the API: no CORS there even for a listed origin.
    page = client.get("/login/", HTTP_HOST=A, HTTP_ORIGIN="https://h5.alpha.example")
    assert "access-control-allow-origin" not in page
