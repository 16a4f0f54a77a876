"""The other documents: a meeting's minutes, the monthly points report, a dues statement;
each with the access of the page it is linked from."""

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from tests.toolkit.documents.conftest import pdf_text
from toolkit.life import services as life
from toolkit.points.close import monthly_close
from toolkit.points.services import points_award


def _meeting(org):
    start = timezone.now() + datetime.timedelta(days=1)
    with schema_context(org.schema):
        meeting = life.meeting_create(unit=org.branches[0], kind="branch_assembly",
                                      title="学习二十届三中全会精神", starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2),
                                      location="三楼会议室", by=org.admin)
        life.attendance_record(meeting=meeting, member=org.members[2], by=org.admin)
        leave = life.leave_request(meeting=meeting, member=org.members[4], reason="出差在外地")
        life.leave_decide(leave=leave, by=org.admin, approve=True)
        life.meeting_minutes_save(meeting=meeting, minutes="传达会议精神，讨论落实措施。",
                                  by=org.admin)
    connection.set_schema_to_public()
    return meeting


def test_meeting_minutes_with_attendance_and_leave(client, org_a, tmp_path):
    meeting = _meeting(org_a)
    login(client, "alpha.localhost", "admin")
    page = client.get(f"/life/{meeting.pk}/", HTTP_HOST="alpha.localhost").content.decode()
    assert f"/documents/meetings/{meeting.pk}/minutes.pdf" in page
    response = client.get(f"/documents/meetings/{meeting.pk}/minutes.pdf",
                          HTTP_HOST="alpha.localhost")
    text = pdf_text(response.content, tmp_path)
    for expected in ["会议记录", "学习二十届三中全会精神", "三楼会议室", "传达会议精神",
                     org_a.members[2].user.full_name, "出差在外地",
                     org_a.members[4].user.full_name, "缺席"]:
        assert expected in text, expected


def test_minutes_are_for_those_who_run_the_meeting_and_stay_in_their_company(client, org_a,
                                                                             org_b):
    meeting = _meeting(org_a)
    login(client, "alpha.localhost", org_a.members[2].user.username)  # a member, no secretary
    url = f"/documents/meetings/{meeting.pk}/minutes.pdf"
    assert client.get(url, HTTP_HOST="alpha.localhost").status_code == 403
    login(client, "beta.localhost", "admin")
    assert client.get(url, HTTP_HOST="beta.localhost").status_code == 404


def test_monthly_points_report_has_the_top_the_lowest_and_branch_totals(client, org_a,
                                                                        tmp_path):
    month = datetime.date(2026, 3, 1)
    with schema_context("alpha"):
        for n, member in enumerate(org_a.members):
            points_award(member=member, rule="correction", amount=(n + 1) * 10,
                         at=timezone.make_aware(datetime.datetime(2026, 3, 10)))
        monthly_close(month=month)
    connection.set_schema_to_public()
    login(client, "alpha.localhost", org_a.members[1].user.username)
    page = client.get("/points/", HTTP_HOST="alpha.localhost").content.decode()
    assert "/documents/points/2026-3.pdf" in page
    response = client.get("/documents/points/2026-3.pdf", HTTP_HOST="alpha.localhost")
    text = pdf_text(response.content, tmp_path)
    assert "2026年3月积分月度终评" in text and "前十名" in text and "各支部合计" in text
    assert org_a.members[-1].user.full_name in text  # the top
    assert "第1党支部" in text and "第2党支部" in text
    assert client.get("/documents/points/2026-4.pdf",
                      HTTP_HOST="alpha.localhost").status_code == 404  # not closed


def test_a_members_dues_statement_for_a_year(client, org_a, tmp_path):
    member = org_a.members[3]
    with schema_context("alpha"):
        life.dues_profile_save(member=member, category="employed", monthly_wage=Decimal("6000"))
        life.dues_payment_record(member=member, month=datetime.date(2026, 2, 1), by=org_a.admin)
    connection.set_schema_to_public()
    login(client, "alpha.localhost", member.user.username)
    page = client.get("/life/dues/", HTTP_HOST="alpha.localhost").content.decode()
    year = timezone.localdate().year
    assert f"/documents/dues/{year}.pdf" in page
    text = pdf_text(client.get("/documents/dues/2026.pdf", HTTP_HOST="alpha.localhost").content,
                    tmp_path)
    assert "2026年党费交纳明细" in text and member.user.full_name in text
    assert "¥90.00" in text and "未交" in text
