"""Indices benchmark: the vanguard quarter's drafts for 10,000 members and the fortress
quarter of 200 branches, on a quarter full of points, dues, meetings and task claims.

    python bench/indices.py       # DATABASE_URL's server, or `make bench` (embedded)

Last line: `indices: quarter of <n> members in <ms> ms, fortress of <b> branches in <ms> ms,
5S verify of <k> entries in <ms> ms` (the verify: every 5S block's chain of the company,
50,000 entries over 5,000 blocks, replayed and checked against the blocks' records).
"""

import datetime
import random
import time

from benchdb import setup
from points import company_with_members

MEMBERS = 10_000
BRANCHES = 200
BLOCKS = 5_000
BLOCK_ENTRIES = 50_000  # a creation and nine changes (pairings, transfers) per block


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


def fill_blocks(company) -> None:
    """5S blocks with their history, chained exactly as toolkit.blocks.services chains them
    (the same hash and payload functions), written in bulk: the service's row lock per append
    would only make the set-up slow."""
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from toolkit.blocks.chain import BlockState, entry_hash, micros, payload_dump, state_apply
    from toolkit.blocks.models import GENESIS_HASH, Block, BlockEntry, EntryKind
    from toolkit.org.models import Member

    rng = random.Random(5)
    per_block = BLOCK_ENTRIES // BLOCKS
    with schema_context(company.schema_name):
        members = list(Member.objects.values_list("id", "unit_id", "user__full_name"))
        by_id = {m[0]: m for m in members}
        now = timezone.now()
        blocks = Block.objects.bulk_create([
            Block(name=f"区块{i}", scope=f"{i % 9 + 1}F 东区", responsible_id=members[i][0],
                  unit_id=members[i][1], created_at=now, changed_at=now)
            for i in range(BLOCKS)], batch_size=5000)
        entries = []
        for block in blocks:
            state, last = BlockState(), GENESIS_HASH
            for seq in range(1, per_block + 1):
                paired = [{"name": f"职工{rng.randint(1, 99999)}", "department": "生产部"}
                          for _ in range(rng.randint(3, 6))]
                if seq == 1:
                    kind = EntryKind.CREATED
                    member = by_id[block.responsible_id]
                    data = {"name": block.name, "scope": block.scope, "paired": paired,
                            "responsible_id": member[0], "responsible_name": member[2],
                            "unit_id": member[1]}
                elif seq % 3:
                    kind, data = EntryKind.PAIRING, {"paired": paired}
                else:
                    member = rng.choice(members)
                    kind, data = EntryKind.TRANSFER, {"responsible_id": member[0],
                                                      "responsible_name": member[2],
                                                      "unit_id": member[1]}
                payload = payload_dump(data)
                at = now + datetime.timedelta(seconds=seq)
                digest = entry_hash(prev_hash=last, block_id=block.pk, seq=seq, kind=kind,
                                    payload=payload, by_id=None, created_us=micros(at))
                entries.append(BlockEntry(block=block, seq=seq, kind=kind, payload=payload,
                                          created_at=at, prev_hash=last, hash=digest))
                state_apply(state, kind, data)
                last = digest
            block.name, block.scope, block.paired = state.name, state.scope, state.paired
            block.responsible_id, block.unit_id = state.responsible_id, state.unit_id
            block.entries, block.last_hash = per_block, last
        BlockEntry.objects.bulk_create(entries, batch_size=5000)
        Block.objects.bulk_update(blocks, ["name", "scope", "paired", "responsible_id",
                                           "unit_id", "entries", "last_hash"], batch_size=2000)


def main() -> None:
    setup()
    from django_tenants.utils import schema_context

    from toolkit.blocks.selectors import chains_verify
    from toolkit.indices.fortress import fortress_settle_quarter
    from toolkit.indices.models import MemberIndex
    from toolkit.indices.services import quarter_open
    from toolkit.periods import add_months, quarter_start

    company = company_with_members("indicesbench", MEMBERS, branches=BRANCHES)
    start = add_months(quarter_start(), -3)  # the quarter just ended
    fill_quarter(company, start)
    fill_blocks(company)
    with schema_context(company.schema_name):
        started = time.perf_counter()
        quarter = quarter_open(start=start)
        quarter_ms = (time.perf_counter() - started) * 1000
        members = MemberIndex.objects.filter(quarter=quarter).count()
        started = time.perf_counter()
        branches = fortress_settle_quarter(start=start)
        fortress_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        verification = chains_verify()
        verify_ms = (time.perf_counter() - started) * 1000
    assert members == MEMBERS and branches == BRANCHES, (members, branches)
    assert verification.intact and verification.entries == BLOCK_ENTRIES, verification
    print(f"indices: quarter of {members} members in {quarter_ms:.0f} ms, "
          f"fortress of {branches} branches in {fortress_ms:.0f} ms, "
          f"5S verify of {verification.entries} entries in {verify_ms:.0f} ms")


if __name__ == "__main__":
    main()
