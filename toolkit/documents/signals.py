"""What the documents app announces: a handbook render changed state. The incubator's side
(onboarding.receivers) records it in the public roll-up, so the batch page shows the handbook
without reading the company's tables (docs/decisions/0015-handbook.md). Sent with
sender=Company and the company as `company`."""

from django.dispatch import Signal

# company, render_id, edition, status, pages, error, progress, step
handbook_changed = Signal()
