from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "toolkit.documents"
    label = "documents"
    verbose_name = _("党建工具包手册")
