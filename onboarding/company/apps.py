from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanyOnboardingConfig(AppConfig):
    """The company-side half of onboarding (its own schema): invitation, setup, member import."""

    name = "onboarding.company"
    label = "onboarding_company"
    verbose_name = _("公司开通设置")
