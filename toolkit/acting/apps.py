from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActingConfig(AppConfig):
    name = "toolkit.acting"
    label = "acting"
    verbose_name = _("今天我来当书记")
