"""The documents linked from the meeting, leaderboard and dues pages, with those pages'
access rules."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tenants.selectors import current_company
from toolkit.documents.reports import dues_statement_pdf, meeting_minutes_pdf, points_report_pdf
from toolkit.documents.views import pdf_response
from toolkit.life.models import Meeting
from toolkit.life.selectors import meeting_managed_by
from toolkit.org.access import company_user_required, member_required


@company_user_required
def meeting_minutes(request, meeting_id):
    """Attendance and leave are the meeting's managers' to see (as on the meeting page)."""
    meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=meeting_id)
    if not meeting_managed_by(user=request.user, meeting=meeting):
        raise PermissionDenied
    name = _("会议记录-%(date)s.pdf") % {"date": f"{meeting.starts_at:%Y%m%d}"}
    return pdf_response(name, meeting_minutes_pdf(meeting=meeting))


@company_user_required
def points_report(request, year, month):
    try:
        first = datetime.date(year, month, 1)
    except (ValueError, OverflowError) as error:
        raise Http404 from error
    data = points_report_pdf(month=first, company_name=current_company().name)
    if data is None:
        raise Http404  # not closed yet
    return pdf_response(_("积分月度终评-%(month)s.pdf") % {"month": f"{first:%Y%m}"}, data)


@member_required
def dues_statement(request, year):
    if not 2000 <= year <= 2100:
        raise Http404
    data = dues_statement_pdf(member=request.member, year=year,
                              company_name=current_company().name)
    return pdf_response(_("党费交纳明细-%(year)s.pdf") % {"year": year}, data)
