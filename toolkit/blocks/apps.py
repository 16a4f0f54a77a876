from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocksConfig(AppConfig):
    name = "toolkit.blocks"
    label = "blocks"
    verbose_name = _("5S 区块链")
