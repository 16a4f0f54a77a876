"""Offline check-in end to end through the test client: the rotating QR token, the public pick
page, the hand-off to the company's site, and the company recording attendance and hours."""

import datetime
import re
from urllib.parse import urlparse

import pytest
from django.core import signing
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.learning.models import HoursEntry, HoursSource
from training import sessions_services as services
from training.models import SessionAttendance

pytestmark = pytest.mark.django_db


def _handoff_path(client, token: str, slug: str) -> str:
    response = client.get(f"/checkin/{token}/{slug}/", HTTP_HOST="localhost")
    assert response.status_code == 302, response.content.decode()[:500]
    target = urlparse(response["Location"])
    assert target.hostname == f"{slug}.localhost"
    return target.path


def test_the_qr_token_rotates_every_30_seconds_and_expires(session):
    now = timezone.now().timestamp()
    beat = int(now) // 30 * 30
    same = services.session_qr_token(session=session, now=beat + 1)
    assert same == services.session_qr_token(session=session, now=beat + 29)
    assert same != services.session_qr_token(session=session, now=beat + 31)
    assert services.session_from_qr_token(token=same) == session
    stale = services.session_qr_token(session=session, now=now - 200)
    with pytest.raises(services.SessionRefused) as refused:
        services.session_from_qr_token(token=stale)
    assert refused.value.code == "session_token_expired"
    forged = re.sub(r".$", lambda m: "A" if m.group() != "A" else "B", same)
    with pytest.raises(services.SessionRefused) as refused:
        services.session_from_qr_token(token=forged)
    assert refused.value.code == "session_token_invalid"
    # Another session's id under this signature does not pass either.
    with pytest.raises(services.SessionRefused):
        services.session_from_qr_token(token=same.replace(f"{session.pk}:", "999:", 1))


def test_the_public_page_lists_the_batch_companies_only(client, orgs, session):
    token = services.session_qr_token(session=session)
    page = client.get(f"/checkin/{token}/", HTTP_HOST="localhost")
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲公司" in text and "乙公司" in text and "丙公司" not in text
    outside = client.get(f"/checkin/{token}/gamma/", HTTP_HOST="localhost")
    assert outside.status_code == 400
    assert "不在本次培训的批次中" in outside.content.decode()


def test_an_expired_or_forged_code_is_refused_on_the_public_page(client, orgs, session):
    stale = services.session_qr_token(session=session,
                                      now=timezone.now().timestamp() - 300)
    page = client.get(f"/checkin/{stale}/", HTTP_HOST="localhost")
    assert page.status_code == 400 and "已过期" in page.content.decode()
    page = client.get(f"/checkin/{stale}/alpha/", HTTP_HOST="localhost")
    assert page.status_code == 400
    page = client.get("/checkin/1:abc:def/", HTTP_HOST="localhost")
    assert page.status_code == 400 and "无效的签到码" in page.content.decode()


def test_the_pick_is_remembered_and_listed_first(client, orgs, session):
    token = services.session_qr_token(session=session)
    _handoff_path(client, token, "beta")
    assert client.cookies["checkin_company"].value == "beta"
    text = client.get(f"/checkin/{token}/", HTTP_HOST="localhost").content.decode()
    assert text.index("乙公司") < text.index("甲公司")
    assert "上次选择" in text


def test_a_member_checks_in_once_and_gets_the_hours(client, orgs, session):
    member = orgs["alpha"].members[2]
    path = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    anonymous = client.get(path, HTTP_HOST="alpha.localhost")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert "next=" in anonymous["Location"]
    login(client, "alpha.localhost", member.user.username)
    page = client.get(path, HTTP_HOST="alpha.localhost")
    assert page.status_code == 200 and "确认签到" in page.content.decode()
    with schema_context("alpha"):
        assert not HoursEntry.objects.filter(member=member).exists()  # opening changes nothing
    done = client.post(path, HTTP_HOST="alpha.localhost")
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    with schema_context("alpha"):
        entry = HoursEntry.objects.get(member=member)
        assert (entry.source, entry.source_ref, entry.hours) == (
            HoursSource.OFFLINE, f"session:{session.pk}", session.hours)
    row = SessionAttendance.objects.get(session=session)
    assert (row.company, row.member_id, row.name, row.branch) == (
        orgs["alpha"].company, member.pk, member.user.full_name, member.unit.name)
    again = client.post(path, HTTP_HOST="alpha.localhost")
    assert again.status_code == 400 and "已经签到过了" in again.content.decode()
    with schema_context("alpha"):
        assert HoursEntry.objects.filter(member=member).count() == 1
    assert SessionAttendance.objects.filter(session=session).count() == 1


def test_a_token_for_one_company_is_refused_on_another_companys_site(client, orgs, session):
    path = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    member = orgs["beta"].members[1]
    login(client, "beta.localhost", member.user.username)
    page = client.post(path, HTTP_HOST="beta.localhost")
    assert page.status_code == 400 and "另一家公司" in page.content.decode()
    with schema_context("beta"):
        assert not HoursEntry.objects.exists()
    assert not SessionAttendance.objects.exists()


def test_a_company_outside_the_batch_is_refused_even_with_a_token_of_its_own(
        client, orgs, session):
    # As if someone signed a hand-off for gamma (the public page never makes one).
    token = signing.TimestampSigner(salt=services.HANDOFF_SALT).sign_object(
        {"s": session.pk, "c": orgs["gamma"].company.schema_name})
    member = orgs["gamma"].members[1]
    login(client, "gamma.localhost", member.user.username)
    page = client.post(f"/offline/checkin/{token}/", HTTP_HOST="gamma.localhost")
    assert page.status_code == 400 and "不在本次培训的批次中" in page.content.decode()
    assert not SessionAttendance.objects.exists()
    with schema_context("gamma"):
        assert not HoursEntry.objects.exists()


def test_a_forged_or_stale_handoff_is_refused(client, orgs, session, monkeypatch):
    path = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    member = orgs["alpha"].members[1]
    login(client, "alpha.localhost", member.user.username)
    page = client.post("/offline/checkin/eyJzIjoxfQ:1abc:xyz/", HTTP_HOST="alpha.localhost")
    assert page.status_code == 400 and "无效的签到码" in page.content.decode()
    monkeypatch.setattr(services, "HANDOFF_MAX_AGE", -1)
    page = client.post(path, HTTP_HOST="alpha.localhost")
    assert page.status_code == 400 and "已过期" in page.content.decode()
    assert not SessionAttendance.objects.exists()


def test_check_in_is_refused_outside_the_session_time(client, orgs, session):
    session.starts_at = timezone.now() + datetime.timedelta(hours=3)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    path = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    login(client, "alpha.localhost", orgs["alpha"].members[1].user.username)
    page = client.post(path, HTTP_HOST="alpha.localhost")
    assert page.status_code == 400 and "不在签到时间内" in page.content.decode()


def test_a_forwarded_link_checks_in_its_first_user_only(client, orgs, session):
    """A trainee who scanned in the room cannot pass the link on to a colleague who is not
    there: each scan's link checks in one person."""
    first, colleague = orgs["alpha"].members[2], orgs["alpha"].members[3]
    path = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    # The colleague's own scan (taken before signing in: the test client keeps one cookie jar
    # for every host, and the public pick page would replace the company's session cookie).
    own = _handoff_path(client, services.session_qr_token(session=session), "alpha")
    login(client, "alpha.localhost", first.user.username)
    assert client.post(path, HTTP_HOST="alpha.localhost").status_code == 200
    client.logout()
    login(client, "alpha.localhost", colleague.user.username)
    forwarded = client.post(path, HTTP_HOST="alpha.localhost")
    assert forwarded.status_code == 400 and "已经有人用过了" in forwarded.content.decode()
    with schema_context("alpha"):
        assert not HoursEntry.objects.filter(member=colleague).exists()
    assert SessionAttendance.objects.filter(session=session).count() == 1
    assert client.post(own, HTTP_HOST="alpha.localhost").status_code == 200
