from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("计费")

    def ready(self):
        # The entitlement cache forgets a company's answer when its billing rows change, in
        # every process that writes them (site, worker, shell).
        from billing import entitlements  # noqa: F401
