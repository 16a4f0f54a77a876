"""月度终评, the monthly close: rankings frozen, the top ten may redeem next month, the lowest
get a remedial lesson. Set-based SQL, so 10,000 members close in well under a second."""

import datetime

from django.db import connection, transaction

from toolkit.periods import add_months
from toolkit.points.models import MonthlyClose

TOP_REDEEMERS = 10
REMEDIAL_LOWEST = 3

_SNAPSHOT = """
INSERT INTO points_rankingsnapshot (month, scope, unit_id, member_id, rank, points)
SELECT %(month)s, %(scope)s, CASE WHEN %(scope)s = 'branch' THEN m.unit_id END, m.id,
       RANK() OVER ({partition} ORDER BY COALESCE(t.points, 0) DESC),
       COALESCE(t.points, 0)
FROM org_member m
LEFT JOIN points_monthlytotal t ON t.member_id = m.id AND t.month = %(month)s
{where}
"""
_RIGHTS = """
INSERT INTO points_redemptionright (member_id, closed_month, valid_month)
SELECT member_id, %(month)s, %(next)s FROM points_rankingsnapshot
WHERE month = %(month)s AND scope = 'company' AND rank <= %(top)s AND points > 0
"""
_REMEDIAL = """
INSERT INTO points_remedialassignment (member_id, month)
SELECT member_id, %(month)s FROM (
    SELECT member_id, ROW_NUMBER() OVER (ORDER BY points ASC, member_id) AS lowest
    FROM points_rankingsnapshot WHERE month = %(month)s AND scope = 'company'
) ranked WHERE lowest <= %(lowest)s
"""


@transaction.atomic
def monthly_close(*, month: datetime.date) -> MonthlyClose:
    """Idempotent: the first run for a month does the work, later runs return its record."""
    month = month.replace(day=1)
    with connection.cursor() as cursor:
        # One close per month at a time, even when two workers get the same message.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('points.monthly_close'))")
    existing = MonthlyClose.objects.filter(month=month).first()
    if existing is not None:
        return existing
    params = {"month": month, "next": add_months(month, 1), "top": TOP_REDEEMERS,
              "lowest": REMEDIAL_LOWEST}
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT.format(partition="", where=""), {**params, "scope": "company"})
        members = cursor.rowcount
        cursor.execute(_SNAPSHOT.format(partition="PARTITION BY m.unit_id",
                                        where="WHERE m.unit_id IS NOT NULL"),
                       {**params, "scope": "branch"})
        cursor.execute(_RIGHTS, params)
        cursor.execute(_REMEDIAL, params)
    return MonthlyClose.objects.create(month=month, members=members)
