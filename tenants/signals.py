from django.dispatch import Signal

# Sent after the transaction that made a company active commits (its schema exists).
# Receivers: onboarding invites the admin of a company that came from an application.
company_activated = Signal()  # kwargs: company
