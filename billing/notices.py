"""E-mails about a company's billing, to its billing address (set by its admin)."""

from billing.entitlements import grace_ends
from core.emails import send_later


def past_due_notice(*, account) -> None:
    if account.email:
        send_later(to=account.email, template="billing_past_due", context={
            "company": account.company.name, "grace_ends": grace_ends(account)})
