"""The handbook's organisation part: the chart, the units with their secretaries, and one
member roll per unit (a member who moves re-renders only the two rolls and the summaries)."""

from django.utils.translation import gettext as _

from toolkit.documents.orgchart import ChartUnit, orgchart_svg
from toolkit.documents.pages import mobile_masked, page_html
from toolkit.documents.renderer import Section
from toolkit.org.models import Member
from toolkit.org.selectors import unit_tree


def _totals(tree) -> dict[int, int]:
    """Members of each unit and every unit under it (a committee counts its branches')."""
    totals = {row.unit.pk: row.unit.member_count for row in tree}
    for row in reversed(tree):  # children come after their parents
        if row.unit.parent_id in totals:
            totals[row.unit.parent_id] += totals[row.unit.pk]
    return totals


def org_sections(*, show_mobiles: bool = False) -> list[Section]:
    tree = unit_tree()
    totals = _totals(tree)
    chart = orgchart_svg(units=[ChartUnit(
        key=row.unit.pk, parent=row.unit.parent_id, name=row.unit.name,
        kind=row.unit.get_kind_display(), members=totals[row.unit.pk],
        secretary=row.unit.secretary.user.get_full_name() if row.unit.secretary else "")
        for row in tree])
    members = (Member.objects.select_related("user").exclude(unit=None)
               .order_by("unit_id", "id"))
    # The choices' labels translated once, not three times a member (get_FOO_display hashes
    # every lazy label of the field on each call: a tenth of a second for 500 members).
    gender, status, position = (
        {value: str(label) for value, label in Member._meta.get_field(name).flatchoices}
        for name in ("gender", "status", "position"))
    rolls: dict[int, list[dict]] = {}
    for member in members:
        mobile = member.user.mobile or ""
        rolls.setdefault(member.unit_id, []).append({
            "name": member.user.get_full_name(),
            "gender": gender.get(member.gender, member.gender),
            "status": status.get(member.status, member.status),
            "position": position.get(member.position, member.position),
            "joined_on": member.joined_on,
            "mobile": mobile if show_mobiles else mobile_masked(mobile)})
    units = [{"name": row.unit.name, "kind": row.unit.get_kind_display(), "depth": row.depth,
              "secretary": row.unit.secretary.user.get_full_name() if row.unit.secretary else "",
              "members": row.unit.member_count, "total": totals[row.unit.pk],
              "key": row.unit.pk} for row in tree]
    sections = [
        Section(key="org-chart", title=_("组织架构图"),
                html=page_html("documents/pdf/org_chart.html", {"chart": chart})),
        Section(key="org-units", title=_("党组织与书记"),
                html=page_html("documents/pdf/org_units.html", {"units": units})),
        Section(key="members", title=_("党员名册"),
                html=page_html("documents/pdf/member_summary.html", {
                    "units": [unit for unit in units if unit["members"]],
                    "total": sum(unit["members"] for unit in units)})),
    ]
    for unit in units:
        roll = rolls.get(unit["key"], [])
        if not roll:
            continue
        title = _("%(unit)s · 党员名册") % {"unit": unit["name"]}
        sections.append(Section(
            key=f"members-{unit['key']}", title=title, level=2,
            html=page_html("documents/pdf/member_roll.html",
                           {"unit": unit, "roll": roll, "title": title})))
    return sections
