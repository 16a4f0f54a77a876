"""The positions a delivery can name. They are toolkit.org.Position's values (a company's
member records store them); training sits below toolkit and cannot import it, so the values are
listed here, and tests/training/test_delivery.py checks the two lists agree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Position(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANISATION = "organisation", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("党员")
    PROBATIONARY = "probationary", _("预备党员")
    ACTIVIST = "activist", _("积极分子")
