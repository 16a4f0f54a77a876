"""The organisation chart as SVG, drawn on the server from the tree (no script: it is printed).

Left to right: one column per level, one row per unit with no units under it, each parent
centred on its children. A company's tree is wide rather than deep (many branches under one
committee), and rows fit an A4 page better than columns."""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

BOX_W, BOX_H, GAP_X, GAP_Y = 210, 58, 50, 14
FONT = "PB Sans, Noto Sans CJK SC"  # core.pdf's subset first, the full face for the rest


@dataclass(frozen=True)
class ChartUnit:
    key: int
    parent: int | None
    name: str
    kind: str  # its kind's display name
    secretary: str
    members: int


def orgchart_svg(*, units: list[ChartUnit]) -> str:
    if not units:
        return ""
    children: dict[int | None, list[ChartUnit]] = {}
    known = {unit.key for unit in units}
    for unit in units:
        parent = unit.parent if unit.parent in known else None
        children.setdefault(parent, []).append(unit)
    place: dict[int, tuple[int, float]] = {}  # key -> (depth, row)
    next_row = [0]

    def lay(unit: ChartUnit, depth: int) -> float:
        below = children.get(unit.key, [])
        if below:
            rows = [lay(child, depth + 1) for child in below]
            row = (rows[0] + rows[-1]) / 2
        else:
            row, next_row[0] = next_row[0], next_row[0] + 1
        place[unit.key] = (depth, row)
        return row

    for root in children.get(None, []):
        lay(root, 0)
    depth_max = max(depth for depth, _row in place.values())
    width = (depth_max + 1) * (BOX_W + GAP_X) - GAP_X + 2
    height = next_row[0] * (BOX_H + GAP_Y) - GAP_Y + 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="orgchart" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    by_key = {unit.key: unit for unit in units}

    def corner(key: int) -> tuple[float, float]:
        depth, row = place[key]
        return 1 + depth * (BOX_W + GAP_X), 1 + row * (BOX_H + GAP_Y)

    for key in place:  # the lines first, under the boxes
        parent = by_key[key].parent
        if parent in place:
            px, py = corner(parent)
            x, y = corner(key)
            mid = px + BOX_W + GAP_X / 2
            parts.append(f'<path d="M{px + BOX_W},{py + BOX_H / 2} H{mid} V{y + BOX_H / 2} '
                         f'H{x}" fill="none" stroke="#9a2a2a" stroke-width="1.2"/>')
    for key in place:
        unit, (x, y) = by_key[key], corner(key)
        figures = {"kind": unit.kind, "count": unit.members, "name": unit.secretary}
        line = (_("%(kind)s · %(count)s人 · 书记 %(name)s") if unit.secretary
                else _("%(kind)s · %(count)s人 · 书记未设")) % figures
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
            f'fill="#fff7f3" stroke="#b22222" stroke-width="1.2"/>'
            f'<text x="{x + 10}" y="{y + 22}" font-size="15" font-weight="bold" '
            f'font-family="{FONT}" fill="#7a1010">{escape(unit.name[:13])}</text>'
            f'<text x="{x + 10}" y="{y + 44}" font-size="11.5" font-family="{FONT}" '
            f'fill="#333">{escape(line)}</text>')
    parts.append("</svg>")
    return "".join(parts)
