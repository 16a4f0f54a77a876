"""5S blocks: every change is an entry hash-chained to the last; the database refuses edits
and deletions; tampering is found by verify; counts per unit."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django_tenants.utils import schema_context

from core.errors import Forbidden
from toolkit.blocks import selectors, services
from toolkit.blocks.models import Block, BlockEntry, EntryKind

PAIRED = [{"name": "张三", "department": "生产部"}, {"name": "李四", "department": "质检部"},
          {"name": "王五", "department": "仓储部"}]


def make_block(org, member=None, by=None, name="3F 东区"):
    member = member or org.members[2]
    return services.block_create(by=by or member.user, responsible=member, name=name,
                                 scope="3F 东区 A1–A8 工位", paired=PAIRED)


def test_a_block_is_created_changed_and_transferred_as_a_chain(org_a):
    m = org_a.members
    with schema_context("alpha"):
        block = make_block(org_a)
        services.block_pairing_change(block=block, by=m[2].user,
                                      paired=PAIRED + [{"name": "赵六", "department": "设备部"}])
        services.block_transfer(block=block, by=m[0].user, to=m[4])  # m0 runs m2's, m4's branch
        kinds = list(BlockEntry.objects.filter(block=block).values_list("kind", flat=True))
        assert kinds == [EntryKind.CREATED, EntryKind.PAIRING, EntryKind.TRANSFER]
        block.refresh_from_db()
        assert (block.responsible_id, len(block.paired), block.entries) == (m[4].pk, 4, 3)
        check = selectors.block_verify(block=block)
        assert check.intact and check.check.entries == 3
        assert check.check.state.responsible_id == m[4].pk
        assert selectors.chains_verify().intact


def test_at_least_three_paired_employees(org_a):
    with schema_context("alpha"):
        with pytest.raises(services.BlockRefused) as refused:
            services.block_create(by=org_a.members[2].user, responsible=org_a.members[2],
                                  name="区", scope="范围", paired=PAIRED[:2])
        assert refused.value.code == "block_paired_too_few"
        assert not Block.objects.exists()


def test_only_the_owner_or_their_secretary_may_change_a_block(org_a):
    m = org_a.members  # m0 runs branch 1 (m2, m4), m1 runs branch 2 (m3, m5)
    with schema_context("alpha"):
        with pytest.raises(Forbidden):
            make_block(org_a, member=m[2], by=m[3].user)
        block = make_block(org_a)
        with pytest.raises(Forbidden):
            services.block_pairing_change(block=block, by=m[4].user, paired=PAIRED[::-1])
        with pytest.raises(Forbidden):
            services.block_transfer(block=block, by=m[1].user, to=m[3])
        with pytest.raises(Forbidden):
            services.block_transfer(block=block, by=m[2].user, to=m[4])
        services.block_pairing_change(block=block, by=m[0].user, paired=PAIRED[::-1])


def test_the_database_refuses_update_and_delete_of_entries(org_a):
    with schema_context("alpha"):
        block = make_block(org_a)
        for statement in ("UPDATE blocks_blockentry SET payload = '{}'",
                          "DELETE FROM blocks_blockentry"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(statement)
        with pytest.raises(DatabaseError), transaction.atomic():
            BlockEntry.objects.filter(block=block).delete()
        assert BlockEntry.objects.filter(block=block).count() == 1


def _tamper(sql: str, params) -> None:
    """What someone with the database's owner rights could do: switch the trigger off."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's deferred FK checks first
        cursor.execute("ALTER TABLE blocks_blockentry DISABLE TRIGGER blocks_entry_no_change")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE blocks_blockentry ENABLE TRIGGER blocks_entry_no_change")


def test_tampering_with_an_entry_is_found(org_a):
    with schema_context("alpha"):
        block = make_block(org_a)
        services.block_pairing_change(block=block, by=org_a.members[2].user, paired=PAIRED[::-1])
        other = make_block(org_a, name="仓库")
        first = BlockEntry.objects.get(block=block, seq=1)
        _tamper("UPDATE blocks_blockentry SET payload = replace(payload, '张三', '张四') "
                "WHERE id = %s", [first.pk])
        check = selectors.block_verify(block=block)
        assert not check.intact and check.check.broken_seq == 1
        assert "hash" in check.check.reason
        assert selectors.block_verify(block=other).intact
        assert selectors.chains_verify().broken == [block.pk]


def test_a_removed_last_entry_or_an_edited_projection_is_found(org_a):
    with schema_context("alpha"):
        block = make_block(org_a)
        block = services.block_pairing_change(block=block, by=org_a.members[2].user,
                                              paired=PAIRED[::-1])
        _tamper("DELETE FROM blocks_blockentry WHERE block_id = %s AND seq = 2", [block.pk])
        assert not selectors.block_verify(block=block).intact  # the projection says 2 entries
        other = make_block(org_a, name="仓库")
        Block.objects.filter(pk=other.pk).update(name="别的区块")
        assert not selectors.block_verify(block=Block.objects.get(pk=other.pk)).intact
        assert sorted(selectors.chains_verify().broken) == sorted([block.pk, other.pk])


def test_counts_per_unit_and_for_the_company(org_a):
    m = org_a.members
    with schema_context("alpha"):
        make_block(org_a, member=m[2])
        make_block(org_a, member=m[4], name="二区")
        services.block_create(by=m[3].user, responsible=m[3], name="三区", scope="范围",
                              paired=PAIRED + [{"name": "赵六", "department": ""}])
        counts = selectors.block_counts()
    assert (counts["blocks"], counts["paired"]) == (3, 10)
    assert counts["by_unit"] == [
        {"unit_id": org_a.branches[0].pk, "unit": "第1党支部", "blocks": 2, "paired": 6},
        {"unit_id": org_a.branches[1].pk, "unit": "第2党支部", "blocks": 1, "paired": 4}]


def test_names_are_masked():
    assert [selectors.mask_name(name=n) for n in ("张三", "欧阳娜娜", "李", "")] == [
        "张*", "欧***", "李*", ""]
