"""The big screen's panels: one entry each. A panel is a key, a title, how the page draws it
(`kind`, see static/js/screen.js) and a function returning its JSON-ready data. One more panel
is one more `Panel(...)` in PANELS (and, for a new kind, one drawing function in screen.js).

The kinds and the data they take:
- "tree":    {"name", "value", "children": [...]} (ECharts' tree series)
- "bars":    [{"name", "value"}] best first (horizontal bars, rows updated in place)
- "list":    [{"title", "sub", "value"}] (text rows)
- "figures": [{"label", "value", "unit"}] (figure tiles)

"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toolkit.blocks.selectors import block_counts
from toolkit.indices import selectors as indices
from toolkit.life import selectors as life
from toolkit.org.selectors import unit_tree
from toolkit.points import selectors as points
from toolkit.projects import selectors as projects


@dataclass(frozen=True)
class Panel:
    key: str
    title: Any  # a lazy translation
    kind: str
    data: Callable[[], Any]


def org_map() -> dict:
    """The organisation as a tree of units, each with its members and those of every unit
    under it (a committee showed its own few, 0 in most companies; the handbook's chart counts
    the same way), not the members themselves, who would not fit on a screen."""
    tree = unit_tree()  # parents before children
    totals = {row.unit.pk: row.unit.member_count for row in tree}
    for row in reversed(tree):
        if row.unit.parent_id in totals:
            totals[row.unit.parent_id] += totals[row.unit.pk]
    nodes, roots = {}, []
    for row in tree:
        total = totals[row.unit.pk]
        node = {"name": f"{row.unit.name}（{total}）", "value": total, "children": []}
        nodes[row.unit.pk] = node
        parent = nodes.get(row.unit.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots[0] if len(roots) == 1 else {"name": "", "children": roots}


def month_ranking() -> list[dict]:
    return [{"name": s.name, "value": s.points}
            for s in points.leaderboard(day=timezone.localdate(), limit=10)]


def vanguard_stars() -> list[dict]:
    return [{"title": f"★ {r.member.user.get_full_name()}",
             "sub": f"{r.quarter} {r.unit.name if r.unit else ''}", "value": str(r.final)}
            for r in indices.stars()[:8]]


def fortress() -> list[dict]:
    return [{"name": b.branch.name, "value": float(b.score)}
            for b in indices.fortress_ranking()[:10]]


def project_totals() -> list[dict]:
    return [{"label": t.name, "value": f"{t.total.normalize():f}", "unit": t.unit}
            for t in projects.company_totals()]


def blocks_figures() -> list[dict]:
    """5S 区块链: the company's blocks and paired employees, then the branches with most blocks
    (a screen has room for a few tiles, not every unit)."""
    counts = block_counts()
    tiles = [{"label": _("区块"), "value": str(counts["blocks"]), "unit": ""},
             {"label": _("结对员工"), "value": str(counts["paired"]), "unit": ""}]
    busiest = sorted(counts["by_unit"], key=lambda row: -row["blocks"])[:2]
    return tiles + [{"label": row["unit"], "value": str(row["blocks"]), "unit": _("区块")}
                    for row in busiest]


# The rows the calendar panel has room for at 1920×1080 (a title and a line under it each).
CALENDAR_ROWS = 6


def meeting_calendar() -> list[dict]:
    """This month's meetings of every unit, in order: those still to come first of all, and
    the latest past ones only in the rows left (in a busy month the first rows were the
    month's earliest meetings, greyed out, and the coming ones never showed)."""
    today = timezone.localdate()
    start = today.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    bounds = {"start": datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
              "end": datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)}
    coming = list(life.meetings_between(start=now, end=bounds["end"])[:CALENDAR_ROWS])
    room = CALENDAR_ROWS - len(coming)
    past = list(life.meetings_between(start=bounds["start"], end=now)
                .order_by("-starts_at", "-id")[:room]) if room else []
    return [{"title": m.title, "sub": f"{m.unit.name} · {m.get_kind_display()}",
             "value": timezone.localtime(m.starts_at).strftime("%m-%d %H:%M"),
             "past": m.starts_at < now} for m in [*reversed(past), *coming]]


PANELS: list[Panel] = [
    Panel("org", gettext_lazy("组织地图"), "tree", org_map),
    Panel("ranking", gettext_lazy("本月积分排行"), "bars", month_ranking),
    Panel("stars", gettext_lazy("党员之星"), "list", vanguard_stars),
    Panel("fortress", gettext_lazy("堡垒指数"), "bars", fortress),
    Panel("projects", gettext_lazy("服务项目成效"), "figures", project_totals),
    Panel("blocks", gettext_lazy("5S区块链"), "figures", blocks_figures),
    Panel("calendar", gettext_lazy("本月会议"), "list", meeting_calendar),
]


def screen_data() -> dict:
    """Every panel's data, keyed by panel, and when it was read."""
    return {"at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
            "panels": {p.key: p.data() for p in PANELS},
            "empty": _("暂无数据。")}
