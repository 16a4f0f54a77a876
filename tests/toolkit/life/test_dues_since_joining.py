"""Arrears count only the months a member was in the company for."""

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tests.toolkit.conftest import login
from toolkit.life import selectors as life_selectors

TODAY = datetime.date(2026, 11, 28)  # past the 25th: August to November are due


def _joined(member, day: datetime.date) -> None:
    User.objects.filter(pk=member.user_id).update(
        date_joined=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))))
    member.user.refresh_from_db()


def test_a_member_who_joined_today_owes_nothing_yet(org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        _joined(member, TODAY)
        assert life_selectors.months_behind(member=member, today=TODAY) == []
        assert member.pk not in {m.pk for m, _missing in life_selectors.members_behind(today=TODAY)}


def test_months_before_joining_do_not_count_and_months_after_do(org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        _joined(member, datetime.date(2026, 9, 10))  # before September's due date
        expected = [datetime.date(2026, m, 1) for m in (9, 10, 11)]
        assert life_selectors.months_behind(member=member, today=TODAY) == expected
        assert dict((m.pk, missing) for m, missing in life_selectors.members_behind(today=TODAY))[
            member.pk] == expected
        _joined(member, datetime.date(2026, 9, 26))  # after it: October on
        assert life_selectors.months_behind(member=member, today=TODAY) == expected[1:]


def test_the_home_page_of_a_member_imported_today_shows_no_arrears(client, org_a):
    member = org_a.members[2]
    with schema_context("alpha"):
        _joined(member, timezone.localdate())
    login(client, "alpha.localhost", member.user.username)
    body = client.get("/", HTTP_HOST="alpha.localhost").content.decode()
    assert "个月未交" not in body and "每月党费" in body
