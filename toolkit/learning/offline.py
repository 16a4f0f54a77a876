"""The company side of an offline session's check-in: the trainee arrives from the public
check-in page with a hand-off token; their company credits the session's 学时 in its own ledger
and reports the attendance up to the trainer's list."""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused
from tenants.selectors import current_company
from toolkit.learning.hours import hours_credit
from toolkit.learning.models import HoursEntry, HoursSource
from toolkit.org.models import Member
from training.models import OfflineSession
from training.sessions_services import (
    HANDOFF_MAX_AGE,
    attendance_report,
    session_checkin_window_check,
    session_from_handoff,
)


class OfflineCheckinRefused(Refused):
    """Why a member may not check in (again)."""


def session_ref(session: OfflineSession) -> str:
    return f"session:{session.pk}"


def offline_session_for(*, token: str) -> OfflineSession:
    """The session a hand-off token is for, checked against this company (SessionRefused)."""
    return session_from_handoff(token=token, company=current_company())


@transaction.atomic
def offline_checkin(*, token: str, member: Member, now=None) -> OfflineSession:
    """Records the member's attendance: the session's hours in the ledger (once), and the row
    on the trainer's attendance list. Both in one transaction."""
    now = now or timezone.now()
    company = current_company()
    session = session_from_handoff(token=token, company=company)
    session_checkin_window_check(session=session, now=now)
    member = Member.objects.select_for_update(of=("self",)).select_related("user", "unit").get(
        pk=member.pk)
    if HoursEntry.objects.filter(member=member, source_ref=session_ref(session)).exists():
        raise OfflineCheckinRefused(_("你已经签到过了。"), code="session_already_checked_in")
    # One scan, one person: the link is spent by its first check-in (the cache key carries
    # this company's schema, and outlives the link's own 15 minutes).
    spent = f"offline-handoff:{hashlib.sha256(token.encode()).hexdigest()}"
    if not cache.add(spent, member.pk, timeout=HANDOFF_MAX_AGE + 60):
        raise OfflineCheckinRefused(_("这个签到链接已经有人用过了，请自己扫描屏幕上的二维码。"),
                                    code="session_handoff_used")
    hours_credit(member=member, hours=session.hours, source=HoursSource.OFFLINE,
                         title=session.title, source_ref=session_ref(session),
                         occurred_on=timezone.localdate(session.starts_at))
    attendance_report(session=session, company=company, member_id=member.pk,
                      name=member.user.get_full_name(),
                      branch=member.unit.name if member.unit_id else "", checked_in_at=now)
    return session
