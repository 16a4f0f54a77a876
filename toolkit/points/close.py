"""月度终评, the monthly close: rankings frozen, the top ten may redeem next month, the lowest
get a remedial lesson. Set-based SQL, so 10,000 members close in well under a second."""

import datetime

from django.db import connection, transaction

from tenants.locks import company_xact_lock
from toolkit.periods import add_months
from toolkit.points.models import MonthlyClose
from toolkit.points.signals import monthly_closed

CLOSE_LOCK = "points.monthly_close"
TOP_REDEEMERS = 10
REMEDIAL_LOWEST = 3

# A member of a 党小组 ranks in the 党支部 above it: `ub` maps every unit to its branch.
_SNAPSHOT = """
INSERT INTO points_rankingsnapshot (month, scope, unit_id, member_id, rank, points)
SELECT %(month)s, %(scope)s,
       CASE WHEN %(scope)s = 'branch' THEN COALESCE(ub.branch_id, m.unit_id) END, m.id,
       RANK() OVER ({partition} ORDER BY COALESCE(t.points, 0) DESC),
       COALESCE(t.points, 0)
FROM org_member m
LEFT JOIN points_monthlytotal t ON t.member_id = m.id AND t.month = %(month)s
LEFT JOIN unnest(%(unit_ids)s::bigint[], %(branch_ids)s::bigint[]) AS ub(unit_id, branch_id)
       ON ub.unit_id = m.unit_id
{where}
"""
_RIGHTS = """
INSERT INTO points_redemptionright (member_id, closed_month, valid_month)
SELECT member_id, %(month)s, %(next)s FROM points_rankingsnapshot
WHERE month = %(month)s AND scope = 'company' AND rank <= %(top)s AND points > 0
"""
# Ties are treated alike: everyone tied at tenth place may redeem (RANK), and everyone with
# no more points than the third-lowest gets the lesson, unless they hold a right to redeem.
_REMEDIAL = """
INSERT INTO points_remedialassignment (member_id, month)
SELECT s.member_id, %(month)s FROM points_rankingsnapshot s
WHERE s.month = %(month)s AND s.scope = 'company'
  AND s.points <= COALESCE(
      (SELECT points FROM points_rankingsnapshot WHERE month = %(month)s AND scope = 'company'
       ORDER BY points ASC LIMIT 1 OFFSET %(lowest)s - 1),
      (SELECT MAX(points) FROM points_rankingsnapshot
       WHERE month = %(month)s AND scope = 'company'))
  AND NOT EXISTS (SELECT 1 FROM points_redemptionright r
                  WHERE r.member_id = s.member_id AND r.closed_month = %(month)s)
"""


def _branches_of_units() -> tuple[list[int], list[int]]:
    """Each unit and the 党支部 it belongs to (itself for a branch or anything above one)."""
    from toolkit.org.models import OrgUnit, UnitKind

    units = {pk: (kind, parent) for pk, kind, parent in
             OrgUnit.objects.values_list("id", "kind", "parent_id")}

    def branch(pk: int) -> int:
        current = pk
        while current is not None and units[current][0] != UnitKind.BRANCH:
            current = units[current][1]
        return current if current is not None else pk

    return list(units), [branch(pk) for pk in units]


@transaction.atomic
def monthly_close(*, month: datetime.date) -> MonthlyClose:
    """Idempotent: the first run for a month does the work, later runs return its record."""
    month = month.replace(day=1)
    # One close per company at a time, even when two workers get the same message.
    company_xact_lock(CLOSE_LOCK)
    existing = MonthlyClose.objects.filter(month=month).first()
    if existing is not None:
        return existing
    unit_ids, branch_ids = _branches_of_units()
    params = {"month": month, "next": add_months(month, 1), "top": TOP_REDEEMERS,
              "lowest": REMEDIAL_LOWEST, "unit_ids": unit_ids, "branch_ids": branch_ids}
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT.format(partition="", where=""), {**params, "scope": "company"})
        members = cursor.rowcount
        cursor.execute(_SNAPSHOT.format(partition="PARTITION BY COALESCE(ub.branch_id, m.unit_id)",
                                        where="WHERE m.unit_id IS NOT NULL"),
                       {**params, "scope": "branch"})
        cursor.execute(_RIGHTS, params)
        cursor.execute(_REMEDIAL, params)
    closed = MonthlyClose.objects.create(month=month, members=members)
    monthly_closed.send(sender=MonthlyClose, month=month)
    return closed


def monthly_close_missing(*, month: datetime.date) -> bool:
    """No close of `month` in the current company (the sweep's question; a read, no lock: the
    close itself takes the lock and checks again)."""
    return not MonthlyClose.objects.filter(month=month.replace(day=1)).exists()
