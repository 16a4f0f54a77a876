"""What a company's site announces to the incubator: its figures changed, its admin was invited
or joined, members were imported. onboarding.receivers records them in the public roll-up
(CompanyProgress, CompanyEvent; 0005). Signals, not calls: the incubator's side calls this
half (its named services, in the company's schema), so this half never imports that side
(docs/decisions/0010). Receivers run at once, in the sender's transaction. Each is sent with
sender=Company and the announcing company as `company`."""

from django.dispatch import Signal

progress_changed = Signal()  # company, figures: dict of CompanyProgress fields
admin_invited = Signal()  # company, note (the e-mail address)
admin_joined = Signal()  # company, note (the admin's name)
members_imported = Signal()  # company, note (how many were added and updated)
