"""The handbook's rules, as this company set them: points and their caps, the monthly close
and the mall, the dues brackets, meeting frequencies and warning days."""

from django.utils.translation import gettext as _

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.life.models import ComplianceRule
from toolkit.life.selectors import BRACKETS, settings_row
from toolkit.mall.selectors import rewards
from toolkit.points.close import REMEDIAL_LOWEST, TOP_REDEEMERS
from toolkit.points.models import PointRule


def rules_sections() -> list[Section]:
    point_rules = [{"name": rule.get_code_display(), "points": rule.points,
                    "daily_cap": rule.daily_cap, "monthly_cap": rule.monthly_cap,
                    "active": rule.active} for rule in PointRule.objects.all()]
    shelf = [{"name": reward.name, "description": reward.description, "cost": reward.cost}
             for reward in rewards()]
    brackets, floor = [], None
    for ceiling, rate in BRACKETS:
        brackets.append({"floor": floor, "ceiling": ceiling, "percent": rate * 100})
        floor = ceiling
    meetings = [{"kind": rule.get_kind_display(), "every_months": rule.every_months,
                 "warn_days": rule.warn_days} for rule in ComplianceRule.objects.all()]
    return [
        Section(key="rules-points", title=_("积分规则"), html=page_html(
            "documents/pdf/rules_points.html", {
                "rules": point_rules, "shelf": shelf, "top": TOP_REDEEMERS,
                "lowest": REMEDIAL_LOWEST})),
        Section(key="rules-dues", title=_("党费交纳标准"), html=page_html(
            "documents/pdf/rules_dues.html", {"brackets": brackets, "dues": settings_row()})),
        Section(key="rules-meetings", title=_("组织生活制度"), html=page_html(
            "documents/pdf/rules_meetings.html", {"rules": meetings})),
    ]
