"""What learning announces, so that other parts of the company (certificates, the monthly
close's remedial assignments) react without learning importing them."""

from django.dispatch import Signal

# Sent (after commit) when a member completes a whole course: enrolment=<Enrolment>.
course_completed = Signal()
