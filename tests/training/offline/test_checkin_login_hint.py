"""Issue 10, check-in: a trainee is recognised from their last company login. Logging in on a
company's site leaves a cookie for the parent domain holding that company's slug only, signed;
the public check-in page puts that company first (preselected), ahead of the last pick there.
A forged hint, or one naming a company outside the session's batch, changes nothing."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.company_hint import HINT_COOKIE, HINT_SALT, company_hint_of
from tests.toolkit.conftest import login
from tests.training.offline.conftest import public_login
from training import sessions_services as services

pytestmark = pytest.mark.django_db


def _signed(value: str, *, salt: str) -> str:
    response = HttpResponse()
    response.set_signed_cookie(HINT_COOKIE, value, salt=salt)
    return response.cookies[HINT_COOKIE].value


def _first_and_badge(client, session) -> tuple[str, str]:
    """The company listed first on the public page, and the badge beside the preselected one."""
    token = services.session_qr_token(session=session)
    html = client.get(f"/checkin/{token}/", HTTP_HOST="localhost").content.decode()
    block = html.split('id="companies"', 1)[1].split("</ul>", 1)[0]
    first = re.search(r'<a href="/checkin/[^"]+/([a-z0-9-]+)/"', block).group(1)
    current = re.findall(r'/([a-z0-9-]+)/" role="button" class="outline" aria-current="true"',
                         block)
    badge = re.search(r'<span class="badge">([^<]+)</span>', block)
    assert len(current) <= 1 and (not current or current[0] == first)
    return first, badge.group(1) if badge else ""


def test_a_company_login_leaves_the_signed_slug_for_the_parent_domain(client, orgs):
    member = orgs["beta"].members[1]
    login(client, "beta.localhost", member.user.username)
    cookie = client.cookies[HINT_COOKIE]
    assert cookie["domain"] == settings.BASE_DOMAIN
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.COOKIES[HINT_COOKIE] = cookie.value
    assert company_hint_of(request=request) == "beta"
    request.COOKIES[HINT_COOKIE] = cookie.value.replace("beta", "alph", 1)
    assert company_hint_of(request=request) == ""
    # The slug, a timestamp and a signature: nothing of the person.
    assert len(cookie.value.split(":")) == 3 and cookie.value.split(":")[0] == "beta"
    assert member.user.username not in cookie.value
    assert member.user.full_name not in cookie.value


def test_the_checkin_page_puts_the_last_login_company_first(client, orgs, session):
    for slug in ("alpha", "beta"):
        client.cookies.clear()
        login(client, f"{slug}.localhost", orgs[slug].members[1].user.username)
        # The last pick on the public host says the other company: the login is more telling.
        client.cookies["checkin_company"] = "beta" if slug == "alpha" else "alpha"
        assert _first_and_badge(client, session) == (slug, "上次登录")


def test_without_a_valid_hint_the_last_pick_stays_first(client, orgs, session):
    for pick in ("alpha", "beta"):
        client.cookies.clear()
        client.cookies["checkin_company"] = pick
        assert _first_and_badge(client, session) == (pick, "上次选择")
        # A hint not signed by this site (the slug edited by hand) is ignored.
        client.cookies[HINT_COOKIE] = _signed("beta" if pick == "alpha" else "alpha",
                                              salt="another salt")
        assert _first_and_badge(client, session) == (pick, "上次选择")
        client.cookies[HINT_COOKIE] = ("beta" if pick == "alpha" else "alpha") + ":x:forged"
        assert _first_and_badge(client, session) == (pick, "上次选择")
        # The same slug signed by this site is taken.
        other = "beta" if pick == "alpha" else "alpha"
        client.cookies[HINT_COOKIE] = _signed(other, salt=HINT_SALT)
        assert _first_and_badge(client, session) == (other, "上次登录")


def test_a_login_to_a_company_outside_the_batch_recognises_nothing(client, orgs, session):
    login(client, "gamma.localhost", orgs["gamma"].members[1].user.username)
    assert client.cookies[HINT_COOKIE].value.startswith("gamma:")
    first, badge = _first_and_badge(client, session)
    assert first in ("alpha", "beta") and badge == ""


def test_a_login_on_the_public_site_leaves_no_hint(client, orgs, trainer):
    public_login(client, "trainer1")
    assert HINT_COOKIE not in client.cookies
