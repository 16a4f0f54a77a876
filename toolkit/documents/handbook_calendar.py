"""The year's calendar of organisational life (三会一课, 主题党日), one section per branch:
month by month, what falls due under this company's frequencies and what is already planned."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.life.models import ComplianceRule, Meeting
from toolkit.life.selectors import branches
from toolkit.org.selectors import descendants_of


def calendar_sections(*, year: int) -> list[Section]:
    rules = list(ComplianceRule.objects.all())
    # Periods are aligned to the year: a rule every 3 months falls due in Mar, Jun, Sep, Dec.
    due = {month: [rule.get_kind_display() for rule in rules if month % rule.every_months == 0]
           for month in range(1, 13)}
    every = [{"kind": rule.get_kind_display(), "every_months": rule.every_months,
              "warn_days": rule.warn_days} for rule in rules]
    sections = [Section(key="calendar", title=_("%(year)s年组织生活日历") % {"year": year},
                        html=page_html("documents/pdf/calendar_intro.html",
                                       {"year": year, "rules": every}))]
    for branch in branches():
        planned: dict[int, list[dict]] = {}
        meetings = (Meeting.objects.filter(unit_id__in=descendants_of(unit=branch),
                                           starts_at__year=year).order_by("starts_at", "id"))
        for meeting in meetings:
            local = timezone.localtime(meeting.starts_at)
            planned.setdefault(local.month, []).append(
                {"day": local.date(), "kind": meeting.get_kind_display(),
                 "title": meeting.title})
        months = [{"month": datetime.date(year, month, 1), "due": due[month],
                   "planned": planned.get(month, [])} for month in range(1, 13)]
        title = _("%(branch)s · 全年安排") % {"branch": branch.name}
        sections.append(Section(
            key=f"calendar-{branch.pk}", level=2, title=title,
            html=page_html("documents/pdf/calendar_branch.html",
                           {"title": title, "year": year, "months": months})))
    return sections
