"""Billing's demo: every demo company is sponsored for its incubation batch (孵化期免费) and
has its 发票 details filled in. No Stripe call: `make run` starts localstripe after seeding;
subscribing is the admin's own step on /billing/ (the local checkout)."""

from billing import services
from billing.entitlements import account_for
from billing.models import SponsorKind
from tenants.models import Company


def billing_demo_ensure(*, companies: list[Company], starts_on, ends_on) -> None:
    for company in companies:
        account = account_for(company)
        if not company.sponsorships.filter(kind=SponsorKind.SPONSORED).exists():
            services.sponsorship_grant(companies=[company], starts_on=starts_on,
                                       ends_on=ends_on, note="孵化期免费")
        if not account.invoice_title:
            services.details_update(company=company, invoice_title=company.name,
                                    tax_id="91110000MA00000000", invoice_address="",
                                    invoice_bank="", email="")
