"""Indices benchmark: the vanguard quarter's drafts for 10,000 members and the fortress
quarter of 200 branches, on a quarter full of points, dues, meetings and task claims.

    python bench/indices.py       # DATABASE_URL's server, or `make bench` (embedded)

Last line: `indices: quarter of <n> members in <ms> ms, fortress of <b> branches in <ms> ms`
(the issue's 5S verify figure joins it when the 5S blocks module exists).
"""

import datetime
import random
import time

from benchdb import setup
from points import company_with_members

MEMBERS = 10_000
BRANCHES = 200


def fill_quarter(company, start: datetime.date) -> None:
    """Three months of category totals, monthly totals, dues, meetings and task claims."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import User
    from toolkit.arena.models import Claim, ClaimStatus, Task
    from toolkit.life.models import DuesPayment, Meeting, MeetingKind
    from toolkit.org.models import Member, OrgUnit
    from toolkit.periods import add_months
    from toolkit.points.models import MonthlyCategoryTotal, MonthlyTotal

    rng = random.Random(13)
    categories = ["study", "org_life", "contribution", "positive", "negative"]
    with schema_context(company.schema_name):
        # Members of long standing: one who joined after the quarter is not scored in it.
        User.objects.update(date_joined=timezone.make_aware(datetime.datetime(2020, 1, 1)))
        admin = User.objects.order_by("id").first()
        members = list(Member.objects.values_list("id", "unit_id"))
        branches = list(OrgUnit.objects.values_list("id", flat=True))
        for i in range(3):
            month = add_months(start, i)
            when = timezone.make_aware(datetime.datetime.combine(month, datetime.time(10)))
            cats, totals, dues = [], [], []
            for member_id, _unit in members:
                total = 0
                for category in rng.sample(categories, 3):
                    points = rng.randint(-5, -1) if category == "negative" else rng.randint(1, 40)
                    cats.append(MonthlyCategoryTotal(member_id=member_id, month=month,
                                                     category=category, points=points))
                    total += points
                totals.append(MonthlyTotal(member_id=member_id, month=month, points=total))
                if rng.random() < 0.8:
                    dues.append(DuesPayment(member_id=member_id, month=month, amount=10,
                                            paid_at=when, on_time=rng.random() < 0.9,
                                            recorded_by=admin))
            MonthlyCategoryTotal.objects.bulk_create(cats, batch_size=5000)
            MonthlyTotal.objects.bulk_create(totals, batch_size=5000)
            DuesPayment.objects.bulk_create(dues, batch_size=5000)
            Meeting.objects.bulk_create([
                Meeting(unit_id=b, kind=rng.choice(MeetingKind.values), title="会",
                        starts_at=when, ends_at=when + datetime.timedelta(hours=1),
                        created_by=admin) for b in branches for _ in range(2)])
            tasks = Task.objects.bulk_create([
                Task(title="任务", publisher_id=b, points=5, places=10, created_by=admin,
                     deadline=when + datetime.timedelta(days=5)) for b in branches])
            by_branch = {}
            for member_id, unit in members:
                by_branch.setdefault(unit, []).append(member_id)
            Claim.objects.bulk_create([
                Claim(task=task, member_id=member_id,
                      status=rng.choice([ClaimStatus.ACCEPTED, ClaimStatus.SUBMITTED]))
                for task in tasks for member_id in by_branch[task.publisher_id][:5]])


def main() -> None:
    setup()
    from django_tenants.utils import schema_context

    from toolkit.indices.fortress import fortress_settle_quarter
    from toolkit.indices.models import MemberIndex
    from toolkit.indices.services import quarter_open
    from toolkit.periods import add_months, quarter_start

    company = company_with_members("indicesbench", MEMBERS, branches=BRANCHES)
    start = add_months(quarter_start(), -3)  # the quarter just ended
    fill_quarter(company, start)
    with schema_context(company.schema_name):
        started = time.perf_counter()
        quarter = quarter_open(start=start)
        quarter_ms = (time.perf_counter() - started) * 1000
        members = MemberIndex.objects.filter(quarter=quarter).count()
        started = time.perf_counter()
        branches = fortress_settle_quarter(start=start)
        fortress_ms = (time.perf_counter() - started) * 1000
    assert members == MEMBERS and branches == BRANCHES, (members, branches)
    print(f"indices: quarter of {members} members in {quarter_ms:.0f} ms, "
          f"fortress of {branches} branches in {fortress_ms:.0f} ms")


if __name__ == "__main__":
    main()
