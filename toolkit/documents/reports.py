"""The other documents from the same renderer: a meeting's minutes with attendance and leave,
the monthly points report (终评), and a member's dues statement for a year. Each is one HTML
document through pdf_render; the views check access as the pages they are linked from."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import pdf_render
from toolkit.life.models import DuesPayment, Meeting
from toolkit.life.selectors import (
    approved_leaves,
    attendances_of,
    expected_members,
    member_monthly_dues,
)
from toolkit.org.models import Member
from toolkit.points.close import TOP_REDEEMERS
from toolkit.points.models import MonthlyClose, RankingScope, RankingSnapshot, RemedialAssignment


def meeting_minutes_pdf(*, meeting: Meeting) -> bytes:
    attendances = list(attendances_of(meeting=meeting).order_by("checked_in_at", "id"))
    leaves = list(approved_leaves(meeting=meeting))
    present = {a.member_id for a in attendances} | {leave.member_id for leave in leaves}
    absent = [m for m in expected_members(meeting=meeting).order_by("id")
              if m.pk not in present]
    return pdf_render(html=page_html("documents/pdf/meeting_minutes.html", {
        "meeting": meeting, "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "attendances": [(a, timezone.localtime(a.checked_in_at)) for a in attendances],
        "leaves": leaves, "absent": absent,
    }))


def points_report_pdf(*, month: datetime.date, company_name: str) -> bytes | None:
    """None when the month has not been closed yet."""
    if not MonthlyClose.objects.filter(month=month).exists():
        return None
    company = (RankingSnapshot.objects.filter(month=month, scope=RankingScope.COMPANY)
               .select_related("member__user", "member__unit").order_by("rank", "member_id"))
    top = [row for row in company if row.rank <= TOP_REDEEMERS]
    remedial = set(RemedialAssignment.objects.filter(month=month)
                   .values_list("member_id", flat=True))
    lowest = [row for row in company if row.member_id in remedial]
    branches = (RankingSnapshot.objects.filter(month=month, scope=RankingScope.BRANCH)
                .exclude(unit=None).values("unit__name")
                .annotate(total=Sum("points")).order_by("-total", "unit__name"))
    counted = len(company)
    total = sum(row.points for row in company)
    return pdf_render(html=page_html("documents/pdf/points_report.html", {
        "company": company_name, "month": month, "top": top, "lowest": lowest,
        "branches": [{"name": b["unit__name"], "total": b["total"]} for b in branches],
        "members": counted, "total": total,
        "average": round(total / counted, 1) if counted else 0,
    }))


def dues_statement_pdf(*, member: Member, year: int, company_name: str) -> bytes:
    payments = {p.month.month: p for p in DuesPayment.objects.filter(member=member,
                                                                        month__year=year)}
    months = [{"month": datetime.date(year, n, 1), "payment": payments.get(n)}
              for n in range(1, 13)]
    total = sum((p.amount for p in payments.values()), Decimal("0.00"))
    return pdf_render(html=page_html("documents/pdf/dues_statement.html", {
        "company": company_name, "member": member, "year": year, "months": months,
        "total": total, "monthly": member_monthly_dues(member=member),
        "today": timezone.localdate(),
    }))
