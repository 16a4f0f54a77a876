"""The handbook's indices part (toolkit.indices): the rules of the vanguard and fortress
indices as this company set them, and the latest quarter's 党员之星 and titled branches."""

from django.utils.translation import gettext as _

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.indices.models import StarRule
from toolkit.indices.selectors import fortress_ranking, items, settings_row, stars


def indices_sections() -> list[Section]:
    rules = settings_row()
    star_rows = [{"name": row.member.user.full_name, "unit": row.unit.name if row.unit else "",
                  "final": row.final, "quarter": str(row.quarter)} for row in stars()]
    flags = [{"branch": row.branch.name, "score": row.score, "title": row.flag_title,
              "quarter": f"{row.quarter.year}Q{(row.quarter.month - 1) // 3 + 1}"}
             for row in fortress_ranking() if row.flag]
    return [Section(key="indices", title=_("先锋指数和堡垒指数"), html=page_html(
        "documents/pdf/indices.html", {
            "rules": rules, "by_share": rules.star_rule == StarRule.TOP_SHARE,
            "items": [{"name": item.name, "kind": item.get_kind_display(),
                       "points": item.points} for item in items().filter(active=True)],
            "stars": star_rows, "flags": flags}))]
