from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "toolkit.groups"
    label = "groups"
    verbose_name = _("党员网红与党员达人")
