"""The hash chain of a block: what an entry's hash covers, the state its entries add up to,
and the check (the same approach as the points ledger, toolkit.points.ledger)."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from toolkit.blocks.models import GENESIS_HASH, EntryKind


def payload_dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def micros(moment: datetime.datetime) -> int:
    """An instant as whole microseconds since 1970 UTC: what the hash covers, exact (the
    database keeps microseconds) and read back as an integer without parsing a timestamp."""
    return (moment - EPOCH) // datetime.timedelta(microseconds=1)


def entry_hash(*, prev_hash: str, block_id: int, seq: int, kind: str, payload: str,
               by_id: int | None, created_us: int) -> str:
    fields = [prev_hash, str(block_id), str(seq), kind, payload, str(by_id or ""),
              str(created_us)]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass
class BlockState:
    """What a block's entries add up to."""

    name: str = ""
    scope: str = ""
    responsible_id: int | None = None
    responsible_name: str = ""
    unit_id: int | None = None
    paired: list[dict] = field(default_factory=list)


def state_apply(state: BlockState, kind: str, data: dict) -> None:
    if kind == EntryKind.CREATED:
        state.name, state.scope = data["name"], data["scope"]
    if kind in (EntryKind.CREATED, EntryKind.TRANSFER):
        state.responsible_id = data["responsible_id"]
        state.responsible_name = data["responsible_name"]
        state.unit_id = data["unit_id"]
    if kind in (EntryKind.CREATED, EntryKind.PAIRING):
        state.paired = data["paired"]


@dataclass
class ChainCheck:
    block_id: int
    entries: int = 0
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS_HASH
    state: BlockState = field(default_factory=BlockState)

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def chain_walk(block_id: int, rows) -> ChainCheck:
    """Checks one block's entries, given in order as (seq, kind, payload, by_id, created_us,
    prev_hash, hash); names the first entry whose link or contents do not hold. The state is
    read from the entries that decide it (the creation, the last transfer, the last pairing):
    every entry's contents are covered by its hash, so none is skipped by the check."""
    check = ChainCheck(block_id)
    last_of: dict[str, str] = {}
    for seq, kind, payload, by_id, created_us, prev_hash, stored in rows:
        if seq != check.entries + 1:
            return _broken(check, seq, "sequence gap")
        if prev_hash != check.last_hash:
            return _broken(check, seq, "does not link to the entry before it")
        if entry_hash(prev_hash=prev_hash, block_id=block_id, seq=seq, kind=kind,
                      payload=payload, by_id=by_id, created_us=created_us) != stored:
            return _broken(check, seq, "its contents do not match its hash")
        if (seq == 1) != (kind == EntryKind.CREATED):
            return _broken(check, seq, "a block is created once, first")
        last_of[kind] = payload
        check.entries, check.last_hash = seq, stored
    if check.entries == 0:
        return _broken(check, 1, "no entries")
    try:
        for kind in (EntryKind.CREATED, EntryKind.TRANSFER, EntryKind.PAIRING):
            if kind in last_of:
                state_apply(check.state, kind, json.loads(last_of[kind]))
    except (ValueError, KeyError, TypeError):
        return _broken(check, check.entries, "its contents cannot be read")
    return check


def _broken(check: ChainCheck, seq: int, reason: str) -> ChainCheck:
    check.broken_seq, check.reason = seq, reason
    return check
