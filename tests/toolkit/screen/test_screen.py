import datetime
import re
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import login
from toolkit.life.models import Meeting, MeetingKind
from toolkit.screen import services
from toolkit.screen.models import DisplayToken
from toolkit.screen.panels import CALENDAR_ROWS, PANELS, Panel, meeting_calendar, org_map
from toolkit.screen.tokens import token_digest

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"


def _token(org, name="大厅"):
    with schema_context(org.schema):
        return services.display_token_create(by=org.admin, name=name)


def test_the_admin_makes_a_token_shown_once_and_kept_only_hashed(org_a, client):
    login(client, A, "admin")
    page = client.post("/screen/", {"name": "一楼大厅"}, HTTP_HOST=A).content.decode()
    url = re.search(r'<code id="screen-url">([^<]+)</code>', page).group(1)
    raw = url.rstrip("/").rsplit("/", 1)[1]
    with schema_context("alpha"):
        token = DisplayToken.objects.get()
        assert token.digest == token_digest(raw) and raw not in str(vars(token))
    assert raw not in client.get("/screen/", HTTP_HOST=A).content.decode()  # never again
    anonymous = Client()
    assert anonymous.get(f"/screen/d/{raw}/", HTTP_HOST=A).status_code == 200


def test_only_the_admin_manages_tokens(org_a, client):
    with schema_context("alpha"), pytest.raises(Forbidden):
        services.display_token_create(by=org_a.members[0].user, name="x")
    login(client, A, org_a.members[0].user.mobile)  # a branch secretary
    assert client.get("/screen/", HTTP_HOST=A).status_code == 403


def test_the_screen_and_its_data_open_with_the_token_and_nothing_else(org_a, client):
    _token_row, raw = _token(org_a)
    page = client.get(f"/screen/d/{raw}/", HTTP_HOST=A)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    data = client.get(f"/screen/d/{raw}/data/", HTTP_HOST=A).json()
    assert set(data["panels"]) == {p.key for p in PANELS}
    assert data["panels"]["org"]["name"].startswith("alpha党委")
    # The token signs nobody in: every other page still asks for a login.
    for path in ("/dashboard/", "/groups/", "/projects/", "/screen/", "/points/", "/members/",
                 "/indices/", "/life/"):
        response = client.get(path, HTTP_HOST=A)
        assert response.status_code == 302 and "/login/" in response["Location"], path
    assert org_a.members[0].user.full_name not in client.get("/", HTTP_HOST=A).content.decode()
    assert client.get(f"/screen/d/{raw}/other/", HTTP_HOST=A).status_code == 404
    assert client.get("/api/v1/me/", HTTP_HOST=A,
                      HTTP_AUTHORIZATION=f"Token {raw}").status_code == 401
    assert client.get("/screen/d/not-a-token/", HTTP_HOST=A).status_code == 404


def test_a_token_of_a_is_nothing_on_b(org_a, org_b, client):
    _row, raw = _token(org_a)
    assert client.get(f"/screen/d/{raw}/", HTTP_HOST=B).status_code == 404
    answer = client.get(f"/screen/d/{raw}/data/", HTTP_HOST=B)
    assert answer.status_code == 403 and answer.json()["code"] == "display_token_invalid"


def test_a_revoked_token_is_refused_at_once(org_a, client):
    row, raw = _token(org_a)
    assert client.get(f"/screen/d/{raw}/data/", HTTP_HOST=A).status_code == 200
    with schema_context("alpha"):
        services.display_token_revoke(by=org_a.admin, token=row)
    assert client.get(f"/screen/d/{raw}/data/", HTTP_HOST=A).status_code == 403
    assert client.get(f"/screen/d/{raw}/", HTTP_HOST=A).status_code == 404


def test_the_refresh_interval_is_honoured_only_within_bounds(org_a, client, settings):
    settings.SCREEN_REFRESH_MS = (20, 60000, 3_600_000)
    _row, raw = _token(org_a)

    def every(query):
        page = client.get(f"/screen/d/{raw}/{query}", HTTP_HOST=A).content.decode()
        return int(re.search(r'"every": (\d+)', page).group(1))

    assert every("") == 60000
    assert every("?every=200") == 200
    assert every("?every=1") == 60000 and every("?every=abc") == 60000
    assert every("?every=99999999") == 60000


def test_one_more_panel_is_one_entry(org_a, client, monkeypatch):
    from toolkit.screen import panels

    extra = Panel("extra", "额外", "figures", lambda: [{"label": "件", "value": 3, "unit": ""}])
    monkeypatch.setattr(panels, "PANELS", [*panels.PANELS, extra])
    monkeypatch.setattr("toolkit.screen.views.PANELS", panels.PANELS)
    _row, raw = _token(org_a)
    assert 'id="panel-extra"' in client.get(f"/screen/d/{raw}/", HTTP_HOST=A).content.decode()
    data = client.get(f"/screen/d/{raw}/data/", HTTP_HOST=A).json()
    assert data["panels"]["extra"][0]["value"] == 3


def test_the_5s_panel_counts_the_companys_blocks_and_paired_employees(org_a, client):
    from toolkit.blocks.services import block_create

    paired = [{"name": f"员工{i}", "department": "生产部"} for i in range(4)]
    with schema_context(org_a.schema):
        for index, member in enumerate(org_a.members[2:4]):
            block_create(by=member.user, responsible=member, name=f"区块{index}",
                         scope="3F 东区", paired=paired[:3 + index])
    _row, raw = _token(org_a)
    tiles = client.get(f"/screen/d/{raw}/data/", HTTP_HOST=A).json()["panels"]["blocks"]
    assert [tile["value"] for tile in tiles[:2]] == ["2", "7"]
    assert {tile["label"] for tile in tiles[2:]} <= {u.name for u in org_a.branches}


def test_the_calendar_shows_the_coming_meetings_before_the_past_ones(org_a):
    """In a busy month the panel's rows go to the meetings still to come; the latest past
    ones fill what is left (the month's first meetings used to take every row)."""
    def at(month, day):
        return timezone.make_aware(datetime.datetime(2026, month, day, 9))

    def meeting(month, day):
        Meeting.objects.create(kind=MeetingKind.COMMITTEE, unit=org_a.branches[0],
                               title=f"{month}月{day}日会", created_by=org_a.admin,
                               starts_at=at(month, day),
                               ends_at=at(month, day) + datetime.timedelta(hours=1))

    now = timezone.make_aware(datetime.datetime(2026, 3, 20, 12))
    with schema_context(org_a.schema), mock.patch("django.utils.timezone.now",
                                                  return_value=now):
        for month, day in [(2, 27), *[(3, d) for d in range(2, 20, 2)], (3, 21), (3, 25),
                           (3, 28), (4, 2)]:
            meeting(month, day)
        rows = meeting_calendar()
        assert CALENDAR_ROWS == 6
        assert [row["title"] for row in rows] == ["3月14日会", "3月16日会", "3月18日会",
                                                  "3月21日会", "3月25日会", "3月28日会"]
        assert [row["past"] for row in rows] == [True] * 3 + [False] * 3
        for day in (22, 23, 24, 26, 27):  # eight still to come: no room for the past
            meeting(3, day)
        rows = meeting_calendar()
        assert [row["title"] for row in rows] == [f"3月{d}日会" for d in (21, 22, 23, 24, 25, 26)]


def test_the_org_map_counts_each_unit_with_the_units_under_it(org_a):
    """A committee has few members of its own (none here): the map shows the whole
    organisation under it, as the handbook's chart does."""
    with schema_context(org_a.schema):
        tree = org_map()
    assert tree["name"] == "alpha党委（6）" and tree["value"] == 6
    assert [(child["name"], child["value"]) for child in tree["children"]] == [
        ("第1党支部（3）", 3), ("第2党支部（3）", 3)]
