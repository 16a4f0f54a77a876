"""党员之星 on the admin's page of a member, on the member's own account page and on the
dashboard's card: with its quarter, and never another company's."""

import datetime
from decimal import Decimal as D

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.indices.models import MemberIndex, Quarter

A, B = "alpha.localhost", "beta.localhost"


def _star(member, start: datetime.date) -> None:
    """`member` named 党员之星 of the quarter starting `start` (in the current schema)."""
    quarter, _ = Quarter.objects.get_or_create(start=start, defaults={
        "formula": {}, "self_deadline": start, "review_deadline": start,
        "confirm_deadline": start, "stars_named_at": timezone.now()})
    MemberIndex.objects.create(quarter=quarter, member=member, unit=member.unit, breakdown={},
                               draft=D("52.50"), final=D("52.50"), step="done", star=True)


def _card(html: str) -> str:
    start = html.index('id="dashboard-stars"')
    return html[start:html.index("</article>", start)]


def _client(host: str, username: str) -> Client:
    client = Client()
    login(client, host, username)
    return client


def test_stars_show_on_profiles_and_the_dashboard_card_of_their_company_only(org_a, org_b):
    with schema_context("alpha"):
        _star(org_a.members[2], datetime.date(2026, 4, 1))
        _star(org_a.members[2], datetime.date(2026, 1, 1))
        star_name = org_a.members[2].user.get_full_name()
    with schema_context("beta"):
        _star(org_b.members[2], datetime.date(2025, 10, 1))

    admin_a, admin_b = _client(A, "admin"), _client(B, "admin")
    page = admin_a.get(f"/members/{org_a.members[2].pk}/", HTTP_HOST=A).content.decode()
    assert 'id="member-stars"' in page and "2026Q2、2026Q1" in page
    assert "2025Q4" not in page
    # A member never named has no star line.
    page = admin_a.get(f"/members/{org_a.members[3].pk}/", HTTP_HOST=A).content.decode()
    assert 'id="member-stars"' not in page
    page = admin_b.get(f"/members/{org_b.members[2].pk}/", HTTP_HOST=B).content.decode()
    assert "2025Q4" in page and "2026Q" not in page

    mine = _client(A, org_a.members[2].user.mobile).get("/account/", HTTP_HOST=A)
    assert 'id="account-stars"' in mine.content.decode()
    assert "2026Q2、2026Q1" in mine.content.decode()
    theirs = _client(B, org_b.members[2].user.mobile).get("/account/", HTTP_HOST=B)
    assert "2025Q4" in theirs.content.decode() and "2026Q" not in theirs.content.decode()
    # The admin, who is no member, has no stars on their account page.
    assert 'id="account-stars"' not in admin_a.get("/account/", HTTP_HOST=A).content.decode()

    # The dashboard's card: the latest named quarter's stars.
    card = _card(admin_a.get("/dashboard/", HTTP_HOST=A).content.decode())
    assert "2026Q2" in card and star_name in card and "52.50" in card
    card = _card(admin_b.get("/dashboard/", HTTP_HOST=B).content.decode())
    assert "2025Q4" in card and "2026Q" not in card
