"""What indices do when the modules below them announce something."""

from django.dispatch import receiver

from toolkit.indices.services import absences_item_record
from toolkit.life.signals import AbsencesOutcome, absences_recorded


@receiver(absences_recorded, dispatch_uid="indices.absences_item_record")
def _absences_item_record(sender, *, meeting, absent, by, **_kwargs) -> AbsencesOutcome:
    return absences_item_record(meeting=meeting, absent=absent, by=by)
