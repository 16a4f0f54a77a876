from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "toolkit.learning"
    label = "learning"
    verbose_name = _("学习")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connect the signal receivers: learning's own, and the certificates' (offline).
        from toolkit.learning import certificates_receivers, receivers  # noqa: F401
