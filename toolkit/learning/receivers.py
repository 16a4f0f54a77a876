"""Learning's answers to other modules' signals."""

from django.dispatch import receiver

from toolkit.learning.services import remedial_enrol
from toolkit.points.signals import monthly_closed


@receiver(monthly_closed, dispatch_uid="learning.remedial_enrol")
def remedial_course_assign(sender, month, **kwargs):
    # Inside the close's transaction: the assignments and their enrolments commit together.
    remedial_enrol(month=month)
