"""The hash chain: what an entry's hash covers, and how the chain is checked."""

import datetime
import hashlib
from dataclasses import dataclass

from toolkit.points.models import GENESIS_HASH, LedgerEntry


def entry_hash(entry: LedgerEntry) -> str:
    # The time in UTC: the database hands it back in UTC whatever zone it was written in.
    created = entry.created_at.astimezone(datetime.UTC).isoformat()
    fields = [entry.prev_hash, str(entry.seq), str(entry.member_id), entry.rule_code,
              str(entry.amount), str(entry.balance_after), entry.source_type, entry.source_id,
              entry.note, created]
    if entry.category:  # entries from before categories hash as they always did
        fields.append(entry.category)
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


@dataclass
class ChainCheck:
    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def chain_check() -> ChainCheck:
    """Walks the ledger in order; names the first entry whose hash or link does not hold."""
    previous, count, expected_seq = GENESIS_HASH, 0, 1
    for entry in LedgerEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainCheck(count, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != previous:
            return ChainCheck(count, entry.seq, "does not link to the entry before it")
        if entry_hash(entry) != entry.hash:
            return ChainCheck(count, entry.seq, "its contents do not match its hash")
        previous, count, expected_seq = entry.hash, count + 1, expected_seq + 1
    return ChainCheck(count)
