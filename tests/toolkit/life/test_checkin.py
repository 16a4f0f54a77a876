"""The check-in link from the QR code: opening it changes nothing, the button (a POST) checks in;
the QR image is a standalone SVG a browser can show."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.life import services
from toolkit.life.models import Attendance, MeetingKind


@pytest.fixture
def meeting(org_a):
    now = timezone.now()
    with schema_context("alpha"):
        return services.meeting_create(
            unit=org_a.branches[0], kind=MeetingKind.THEME_DAY, title="主题党日",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2), by=org_a.members[0].user)


def _attended(meeting, member) -> bool:
    with schema_context("alpha"):
        return Attendance.objects.filter(meeting=meeting, member=member).exists()


def test_opening_the_link_shows_the_meeting_and_records_nothing(client, org_a, meeting):
    member = org_a.members[2]
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
    login(client, "alpha.localhost", member.user.username)
    page = client.get(f"/life/checkin/{code}/", HTTP_HOST="alpha.localhost")
    body = page.content.decode()
    assert page.status_code == 200 and "主题党日" in body and "确认签到" in body
    assert 'method="post"' in body and "csrfmiddlewaretoken" in body
    assert not _attended(meeting, member)


def test_the_button_checks_in_and_needs_the_csrf_token(client, org_a, meeting):
    member = org_a.members[2]
    with schema_context("alpha"):
        code = services.checkin_code(meeting)
    login(client, "alpha.localhost", member.user.username)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies  # signed in, but checking CSRF like a browser
    forged = strict.post(f"/life/checkin/{code}/", HTTP_HOST="alpha.localhost")
    assert forged.status_code == 403 and not _attended(meeting, member)

    page = strict.get(f"/life/checkin/{code}/", HTTP_HOST="alpha.localhost")
    token = page.context["csrf_token"]
    done = strict.post(f"/life/checkin/{code}/", {"csrfmiddlewaretoken": str(token)},
                       HTTP_HOST="alpha.localhost")
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert _attended(meeting, member)


def test_the_qr_image_is_a_standalone_svg_document(client, org_a, meeting):
    login(client, "alpha.localhost", org_a.members[0].user.username)
    svg = client.get(f"/life/{meeting.pk}/qr.svg", HTTP_HOST="alpha.localhost")
    root = ElementTree.fromstring(svg.content)
    # Without the namespace the root is a plain <svg> element and an <img> shows nothing.
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert int(root.get("width")) > 0 and int(root.get("height")) > 0
