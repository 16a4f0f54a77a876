"""Crediting 学时: the one way hours enter the ledger (online lessons, offline sessions,
training taken elsewhere)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from billing.limits import storage_add
from toolkit.learning.models import HoursEntry, HoursSource
from toolkit.org.models import Member
from toolkit.uploads import file_write_after_commit


@transaction.atomic
def hours_credit(*, member: Member, hours: Decimal, source: str, title: str,
                 occurred_on: date, source_ref: str = "", evidence=None,
                 by=None) -> HoursEntry | None:
    """Appends a credit. A credit for a lesson, course or session the member was already
    credited for (same source_ref) is not added again: returns None, so replays are harmless."""
    if source not in HoursSource.values:
        raise ValueError(f"unknown hours source {source!r}")
    try:
        with transaction.atomic():  # a savepoint: the duplicate's error leaves the caller's
            entry = HoursEntry(member=member, hours=hours, source=source,
                               source_ref=source_ref, title=title, occurred_on=occurred_on,
                               created_by=by)
            if evidence:  # the plan's storage (billing): a duplicate's bytes are not counted
                # Never released: entries are append-only (a trigger refuses DELETE), so no
                # post_delete receiver gives these bytes back, and no size field is kept.
                storage_add(size=evidence.size)
                # Written after the commit: a duplicate (this savepoint) or the caller's
                # rollback leaves no file behind.
                file_write_after_commit(instance=entry, field="evidence", upload=evidence)
            entry.save()
            return entry
    except IntegrityError:
        if source_ref and HoursEntry.objects.filter(member=member, source_ref=source_ref,
                                                    hours__gt=0).exists():
            return None
        raise
