"""The handbook's acting-secretary part (toolkit.acting, 今天我来当书记): how it works, and
the schedule from this month on."""

from django.utils.translation import gettext as _

from toolkit.acting.selectors import schedule
from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section


def acting_sections() -> list[Section]:
    units, rows = schedule(months=6)
    return [Section(key="acting", title=_("今天我来当书记"), html=page_html(
        "acting/handbook.html", {"units": units, "rows": rows}))]
