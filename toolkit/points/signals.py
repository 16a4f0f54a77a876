"""What points announce, so modules above them react without points importing them."""

from django.dispatch import Signal

# Sent inside the monthly close's transaction, after its remedial assignments are made:
# month=<date, first day>. toolkit.learning enrols those members on the remedial course.
monthly_closed = Signal()
