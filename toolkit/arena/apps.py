from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "toolkit.arena"
    label = "arena"
    verbose_name = _("任务擂台")
