"""The API's docs page works under the site's Content-Security-Policy: Swagger UI's scripts and
styles are files from /static/ (drf-spectacular-sidecar, no CDN) and nothing is blocked."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.browser.safety import watching

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_with_no_csp_violation(phone, live_server, make_company,
                                                     committed_schemas):
    make_company(name="甲公司", slug="alpha")
    site = re.sub(r"//[^:/]+", "//alpha.localhost", live_server.url, count=1)
    requested = []
    phone.on("request", lambda r: requested.append(r.url))
    watch, stop = watching()
    watch.attach(phone)
    try:
        phone.goto(site + "/api/v1/docs/")
        # Rendered from the schema: the title and an operation of ours.
        expect(phone.locator(".swagger-ui .info .title")).to_contain_text("孵化器 API")
        # Swagger UI renders the operations of the tags in view only (a virtual list): scroll.
        ours = phone.locator(".opblock-summary-path", has_text="/api/v1/arena/tasks/").first
        for _ in range(40):
            if ours.count():
                break
            phone.mouse.wheel(0, 600)
            phone.wait_for_timeout(150)
        expect(ours).to_be_visible()
        phone.wait_for_timeout(500)
        shoot(phone, "api-docs")
    finally:
        stop()
    assert watch.problems() == []
    assert all(url.startswith(site) for url in requested), requested  # no CDN
    assert any("/static/drf_spectacular_sidecar/" in url for url in requested)
