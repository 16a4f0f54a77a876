from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = _("入驻申请与孵化批次")

    def ready(self):
        from onboarding import receivers  # noqa: F401 - connects the signal receivers
