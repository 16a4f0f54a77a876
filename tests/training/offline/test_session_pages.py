"""The trainer's pages for offline sessions: making one for their own batch, the QR and the
attendance list only for sessions they ran (staff: all), and the xlsx export."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.training.offline.conftest import public_login
from training.models import OfflineSession, SessionAttendance

pytestmark = pytest.mark.django_db


def _form(batch, trainer, **extra):
    starts = timezone.localtime() + datetime.timedelta(days=1)
    return {"batch": batch.pk, "title": "入党积极分子培训", "place": "一号会议室",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "hours": "4", "trainer": trainer.pk, "course": "", **extra}


def test_a_trainer_makes_a_session_for_their_own_batch(client, trainer, batch):
    public_login(client, trainer.username)
    response = client.post("/training/sessions/new/", _form(batch, trainer), HTTP_HOST="localhost")
    assert response.status_code == 302
    session = OfflineSession.objects.get()
    assert (session.trainer, session.batch, session.hours) == (trainer, batch, Decimal("4"))
    assert response["Location"] == f"/training/sessions/{session.pk}/"


def test_a_trainer_cannot_make_a_session_for_another_batch(client, trainer, batch, other_batch,
                                                           other_trainer):
    public_login(client, trainer.username)
    response = client.post("/training/sessions/new/", _form(other_batch, trainer),
                           HTTP_HOST="localhost")
    assert response.status_code == 200 and not OfflineSession.objects.exists()
    # Nor name another trainer for their own.
    response = client.post("/training/sessions/new/", _form(batch, other_trainer),
                           HTTP_HOST="localhost")
    assert not OfflineSession.objects.exists()


def test_the_session_page_shows_a_qr_code_and_the_endpoint_rotates_it(client, trainer, session):
    public_login(client, trainer.username)
    page = client.get(f"/training/sessions/{session.pk}/", HTTP_HOST="localhost")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="session-qr"' in text
    assert 'src="data:image/svg+xml' in text and "js/session-qr.js" in text
    code = client.get(f"/training/sessions/{session.pk}/qr.json", HTTP_HOST="localhost").json()
    assert code["src"].startswith("data:image/svg+xml") and code["rotate_seconds"] == 30


def test_only_the_sessions_trainer_and_staff_see_its_attendance(client, orgs, trainer,
                                                                other_trainer, staff, session):
    SessionAttendance.objects.create(session=session, company=orgs["alpha"].company,
                                     member_id=7, name="张三丰", branch="第1党支部",
                                     checked_in_at=timezone.now())
    public_login(client, other_trainer.username)
    for path in ("", "qr.json", "attendance.xlsx"):
        assert client.get(f"/training/sessions/{session.pk}/{path}",
                          HTTP_HOST="localhost").status_code == 404
    assert "党章党规专题培训" not in client.get("/training/sessions/",
                                                HTTP_HOST="localhost").content.decode()
    client.logout()
    public_login(client, staff.username)
    page = client.get(f"/training/sessions/{session.pk}/", HTTP_HOST="localhost")
    assert "张三丰" in page.content.decode()


def test_members_and_anonymous_visitors_are_kept_out(client, session):
    anonymous = client.get(f"/training/sessions/{session.pk}/", HTTP_HOST="localhost")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_the_attendance_export_opens_with_the_trainees(client, orgs, trainer, session):
    SessionAttendance.objects.create(session=session, company=orgs["alpha"].company,
                                     member_id=7, name="张三丰", branch="第1党支部",
                                     checked_in_at=timezone.now())
    SessionAttendance.objects.create(session=session, company=orgs["beta"].company,
                                     member_id=3, name="李四", branch="第2党支部",
                                     checked_in_at=timezone.now())
    public_login(client, trainer.username)
    response = client.get(f"/training/sessions/{session.pk}/attendance.xlsx",
                          HTTP_HOST="localhost")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == session.title
    assert [row[1:4] for row in rows[2:]] == [("张三丰", "甲公司", "第1党支部"),
                                             ("李四", "乙公司", "第2党支部")]


def test_the_service_refuses_another_batch_and_staff_may_name_any_trainer(
        trainer, other_trainer, batch, other_batch, staff):
    from core.errors import Refused
    from training.sessions_services import session_create

    now = timezone.now()
    when = {"starts_at": now, "ends_at": now + datetime.timedelta(hours=2), "hours": Decimal("2"),
            "title": "培训", "place": "会议室"}
    with pytest.raises(Refused) as refused:
        session_create(batch=other_batch, trainer=trainer, by=trainer, **when)
    assert refused.value.code == "session_batch_not_yours"
    with pytest.raises(Refused) as refused:
        session_create(batch=batch, trainer=other_trainer, by=trainer, **when)
    assert refused.value.code == "session_batch_not_yours"
    session = session_create(batch=other_batch, trainer=other_trainer, by=staff, **when)
    assert session.trainer == other_trainer


def test_a_name_typed_as_a_formula_stays_text_in_the_export(client, orgs, trainer, session):
    """A trainee's name comes from their company's site: "=HYPERLINK(…)" must reach the
    trainer's spreadsheet as the text it is, not as a live formula."""
    evil = '=HYPERLINK("http://evil.example/","点此签到")'
    SessionAttendance.objects.create(session=session, company=orgs["alpha"].company,
                                     member_id=9, name=evil, branch="=1+1",
                                     checked_in_at=timezone.now())
    public_login(client, trainer.username)
    response = client.get(f"/training/sessions/{session.pk}/attendance.xlsx",
                          HTTP_HOST="localhost")
    sheet = load_workbook(io.BytesIO(response.content)).active
    name, branch = sheet.cell(row=3, column=2), sheet.cell(row=3, column=4)
    assert (name.value, name.data_type) == (evil, "s")
    assert (branch.value, branch.data_type) == ("=1+1", "s")
