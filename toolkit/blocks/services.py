"""Writes to 5S blocks: each one appends an entry to the block's chain and updates the
projection in the same transaction, under the block's row lock (appends are serialised)."""

import json

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Forbidden, Refused
from toolkit.blocks.chain import BlockState, entry_hash, micros, payload_dump, state_apply
from toolkit.blocks.models import MIN_PAIRED, Block, BlockEntry, EntryKind
from toolkit.org.models import Member
from toolkit.org.selectors import member_for_user, unit_managed_by

MAX_PAIRED = 50


class BlockRefused(Refused):
    """Why a block cannot be made or changed; the message is shown to the user."""


def paired_clean(paired: list[dict]) -> list[dict]:
    """Paired employees as the chain stores them: name and department, trimmed, blanks out;
    at least three (they need not be members or users)."""
    rows = []
    for row in paired:
        name = str(row.get("name", "")).strip()[:50]
        department = str(row.get("department", "")).strip()[:50]
        if name:
            rows.append({"name": name, "department": department})
    if len(rows) < MIN_PAIRED:
        raise BlockRefused(_("每个区块至少结对 %(n)s 名职工。") % {"n": MIN_PAIRED},
                           code="block_paired_too_few",
                           fields={"paired": [_("每个区块至少结对 %(n)s 名职工。") % {
                               "n": MIN_PAIRED}]})
    if len(rows) > MAX_PAIRED:
        raise BlockRefused(_("每个区块最多结对 %(n)s 名职工。") % {"n": MAX_PAIRED},
                           code="block_paired_too_many")
    return rows


def _may_manage(*, user, unit_id) -> bool:
    return unit_managed_by(user=user, unit_id=unit_id)


def _append(*, block: Block, kind: str, data: dict, by) -> BlockEntry:
    now = timezone.now()
    payload = payload_dump(data)
    seq = block.entries + 1
    entry = BlockEntry(block=block, seq=seq, kind=kind, payload=payload, by=by, created_at=now,
                       prev_hash=block.last_hash)
    entry.hash = entry_hash(prev_hash=entry.prev_hash, block_id=block.pk, seq=seq, kind=kind,
                            payload=payload, by_id=by.pk if by else None,
                            created_us=micros(now))
    entry.save(force_insert=True)
    block.entries, block.last_hash, block.changed_at = seq, entry.hash, now
    return entry


def _project(block: Block, state: BlockState) -> None:
    block.name, block.scope = state.name, state.scope
    block.responsible_id, block.unit_id = state.responsible_id, state.unit_id
    block.paired = state.paired
    block.save()


def _member_data(member: Member) -> dict:
    return {"responsible_id": member.pk, "responsible_name": member.user.full_name,
            "unit_id": member.unit_id}


@transaction.atomic
def block_create(*, by, responsible: Member, name: str, scope: str,
                 paired: list[dict]) -> Block:
    """A member makes a block of their own; a secretary or the admin, one for any member of
    the units they run."""
    own = member_for_user(user=by)
    if not ((own is not None and own.pk == responsible.pk)
            or _may_manage(user=by, unit_id=responsible.unit_id)):
        raise Forbidden()
    name, scope = name.strip()[:100], scope.strip()[:200]
    fields = {}
    if not name:
        fields["name"] = [_("请填写区块名称。")]
    if not scope:
        fields["scope"] = [_("请填写区域范围。")]
    if fields:
        raise BlockRefused(fields=fields, code="block_details_missing")
    paired = paired_clean(paired)
    now = timezone.now()
    block = Block.objects.create(name=name, scope=scope, responsible=responsible,
                                 unit_id=responsible.unit_id, paired=paired, created_at=now,
                                 changed_at=now)
    data = {"name": name, "scope": scope, "paired": paired, **_member_data(responsible)}
    _append(block=block, kind=EntryKind.CREATED, data=data, by=by)
    block.save()
    return block


def _locked(block: Block) -> tuple[Block, BlockState]:
    """The block's row, locked, and its state as the chain says (not as the projection)."""
    block = Block.objects.select_for_update().get(pk=block.pk)
    state = BlockState()
    for kind, payload in BlockEntry.objects.filter(block=block).order_by("seq").values_list(
            "kind", "payload"):
        state_apply(state, kind, json.loads(payload))
    return block, state


@transaction.atomic
def block_pairing_change(*, block: Block, by, paired: list[dict]) -> Block:
    """The responsible member, or whoever runs the block's unit, changes its paired employees."""
    block, state = _locked(block)
    own = member_for_user(user=by)
    if not ((own is not None and own.pk == state.responsible_id)
            or _may_manage(user=by, unit_id=state.unit_id)):
        raise Forbidden()
    paired = paired_clean(paired)
    if paired == state.paired:
        raise BlockRefused(_("结对职工没有变化。"), code="block_pairing_unchanged")
    _append(block=block, kind=EntryKind.PAIRING, data={"paired": paired}, by=by)
    state_apply(state, EntryKind.PAIRING, {"paired": paired})
    _project(block, state)
    return block


@transaction.atomic
def block_transfer(*, block: Block, by, to: Member) -> Block:
    """Whoever runs the block's unit hands it to a member of a unit they run."""
    block, state = _locked(block)
    if not (_may_manage(user=by, unit_id=state.unit_id)
            and _may_manage(user=by, unit_id=to.unit_id)):
        raise Forbidden()
    if to.pk == state.responsible_id:
        raise BlockRefused(_("该党员已是此区块的责任党员。"), code="block_transfer_same")
    data = _member_data(to)
    _append(block=block, kind=EntryKind.TRANSFER, data=data, by=by)
    state_apply(state, EntryKind.TRANSFER, data)
    _project(block, state)
    return block
