from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "toolkit.home"
    label = "home"
    verbose_name = _("公司首页")
