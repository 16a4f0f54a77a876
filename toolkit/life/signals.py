"""What organisational life announces, so modules above it react without life importing them."""

from typing import NamedTuple

from django.dispatch import Signal

# Sent inside meeting_absences_record's transaction: meeting=<Meeting>, absent=<list of
# Member>, by=<User>. toolkit.indices gives each the company's 缺席未请假 item, if it has one.
# A receiver returns an AbsencesOutcome, so the secretary is told what came of the roll.
absences_recorded = Signal()


class AbsencesOutcome(NamedTuple):
    """What a receiver made of the absences: `records` given, or, when it recorded nothing,
    `skipped`: why (translated, shown to the secretary)."""

    records: int = 0
    skipped: str = ""


class AbsencesRoll(NamedTuple):
    """meeting_absences_record's result: who was absent without leave, and each receiver's
    outcome."""

    absent: list
    outcomes: list[AbsencesOutcome]

    @property
    def recorded(self) -> bool:
        """Some receiver recorded the roll (none did: the reasons are in `skipped`)."""
        return any(not outcome.skipped for outcome in self.outcomes)

    @property
    def skipped(self) -> list[str]:
        return [outcome.skipped for outcome in self.outcomes if outcome.skipped]
