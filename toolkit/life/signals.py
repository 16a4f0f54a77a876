"""What organisational life announces, so modules above it react without life importing them."""

from django.dispatch import Signal

# Sent inside meeting_absences_record's transaction: meeting=<Meeting>, absent=<list of
# Member>, by=<User>. toolkit.indices gives each the company's 缺席未请假 item, if it has one.
absences_recorded = Signal()
