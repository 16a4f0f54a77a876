"""What the projects app announces: the company's project totals, when they change and the
company shares them (opt-in), or an empty list when it stops. The incubator's side
(onboarding.receivers) records them in the public roll-up, so staff never read a company's
tables (docs/decisions/0005, 0026). Sent with sender=Company and the company as `company`."""

from django.dispatch import Signal

# company, at, totals: list of {"project_kind", "project_kind_label", "name", "unit", "kind",
# "total" (Decimal)}
project_totals_changed = Signal()
