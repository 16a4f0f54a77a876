"""The company site as an installable app: the manifest names the company (zh-Hans, icons of
several sizes, maskable ones, all real PNGs of their stated size), the service worker is
served at the root with its scope allowed and the site's CSP, named for the company's schema;
every company page links both; the public site has neither."""

from pathlib import Path

from django.conf import settings
from PIL import Image

from tests.toolkit.conftest import login

ALPHA = "alpha.localhost"
STATIC = Path(settings.BASE_DIR) / "static"


def test_the_manifest_names_the_company_with_icons_that_exist(client, company_a):
    response = client.get("/manifest.webmanifest", HTTP_HOST=ALPHA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    body = response.json()
    assert body["name"] == company_a.name and body["lang"] == "zh-Hans"
    assert body["start_url"] == body["scope"] == "/" and body["display"] == "standalone"
    purposes = {icon["purpose"] for icon in body["icons"]}
    assert purposes == {"any", "maskable"}
    sizes = {icon["sizes"] for icon in body["icons"] if icon["purpose"] == "any"}
    assert {"192x192", "512x512"} <= sizes
    for icon in body["icons"]:
        path = STATIC / icon["src"].removeprefix(settings.STATIC_URL)
        with Image.open(path) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]


def test_the_worker_is_served_at_the_root_for_the_company(client, company_a):
    response = client.get("/sw.js", HTTP_HOST=ALPHA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    source = response.content.decode()
    assert source.startswith('self.COMPANY = {"schema": "alpha"};')
    assert "addEventListener(\"fetch\"" in source


def test_the_public_site_is_no_app(client, company_a):
    assert client.get("/manifest.webmanifest", HTTP_HOST="localhost").status_code == 404
    assert client.get("/sw.js", HTTP_HOST="localhost").status_code == 404
    page = client.get("/login/", HTTP_HOST="localhost").content.decode()
    assert 'rel="manifest"' not in page and "js/pwa.js" not in page


def test_company_pages_link_the_manifest_and_register_the_worker(client, org_a):
    login(client, ALPHA, org_a.members[2].user.username)
    page = client.get("/learning/saved/", HTTP_HOST=ALPHA).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'js/pwa.js" data-schema="alpha"' in page and 'apple-touch-icon' in page
    assert 'id="saved-list"' in page
