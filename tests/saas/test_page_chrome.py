"""What every page carries: the icon, and links that lead somewhere from every host."""

import re

import pytest
from django.core.management import call_command


@pytest.fixture
def collected_static(settings, tmp_path):
    """Static files as production serves them: collected, then WhiteNoise (DEBUG off)."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.parametrize("host", ["localhost", "alpha.localhost", "nobody.localhost"])
def test_favicon_ico_is_an_icon_on_every_host(client, company_a, host):
    response = client.get("/favicon.ico", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize("host, path", [("localhost", "/"), ("alpha.localhost", "/login/"),
                                        ("nobody.localhost", "/")])
def test_pages_link_an_svg_icon_that_is_served(client, company_a, collected_static, host, path):
    page = client.get(path, HTTP_HOST=host).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon, "no SVG icon linked"
    response = client.get(icon.group(1), HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(response.streaming_content)


def test_an_unknown_host_links_to_the_incubators_login(client, public_tenant):
    response = client.get("/", HTTP_HOST="nobody.localhost:8731")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<a href="http://localhost:8731/login/">登录</a>' in page
    assert 'href="http://localhost:8731/"' in page  # and to its home page
    login = client.get("/login/", HTTP_HOST="localhost:8731")
    assert login.status_code == 200  # where the link leads is the incubator's login page


def test_an_unknown_host_on_the_default_port_links_without_one(client, public_tenant):
    page = client.get("/", HTTP_HOST="nobody.localhost").content.decode()
    assert '<a href="http://localhost/login/">登录</a>' in page
