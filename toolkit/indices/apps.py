from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "toolkit.indices"
    label = "indices"
    verbose_name = _("先锋指数与堡垒指数")

    def ready(self):
        from toolkit.indices import receivers  # noqa: F401
