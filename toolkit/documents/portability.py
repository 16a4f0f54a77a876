"""The company's own data, for the company (data portability): every table of its schema as
a sheet of one xlsx (after a sheet naming each table and column in the reader's language),
and a PDF that lists each data set with its rows and prints the member roll. Secrets stay
out: password hashes, sessions, API tokens, activation and SMS codes, login attempts."""

import datetime
import io

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import pdf_render
from toolkit.org.models import Member

# Models whose rows are credentials or login bookkeeping, not the company's data.
LEFT_OUT = {"sessions.session", "knox.authtoken", "axes.accessattempt", "axes.accessfailurelog",
            "axes.accesslog", "axes.accessattemptexpiration", "contenttypes.contenttype",
            "auth.permission", "accounts.activationcode", "accounts.smscode"}
SECRET_FIELDS = {"password", "digest", "token_key", "salt", "session_key", "session_data"}


def portability_models() -> list:
    labels = {app.split(".")[-1] for app in settings.TENANT_APPS}
    found = []
    for model in apps.get_models():
        if model._meta.app_label in labels and model._meta.label_lower not in LEFT_OUT:
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def _columns(model) -> list:
    return [field for field in model._meta.concrete_fields if field.name not in SECRET_FIELDS]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, (int, float, str, bool, datetime.date)):
        return value
    return str(value)


def _dictionary_sheet(book, models: list) -> None:
    """The data sheets keep the tables' own names (stable, machine-readable: what another system
    imports); this first sheet says in the reader's language what each table and column is."""
    sheet = book.create_sheet(_("数据说明"))
    sheet.append([_("表"), _("数据"), _("列"), _("列名")])
    for model in models:
        for field in _columns(model):
            # capfirst: English names are lowercase ("group members"), as Django keeps them.
            sheet.append([model._meta.label_lower, capfirst(str(model._meta.verbose_name)),
                          field.attname, capfirst(str(field.verbose_name))])


def portability_xlsx() -> bytes:
    """A data dictionary sheet first, then one sheet per table (named after its model), a
    header row of column names."""
    book = Workbook()
    book.remove(book.active)
    models = portability_models()
    _dictionary_sheet(book, models)
    for model in models:
        columns = _columns(model)
        sheet = book.create_sheet(model._meta.label_lower[:31])
        sheet.append([field.attname for field in columns])
        for row in model._default_manager.order_by("pk").values_list(
                *[field.attname for field in columns]).iterator(chunk_size=2000):
            sheet.append([_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def portability_pdf(*, company_name: str) -> bytes:
    data_sets = [{"label": model._meta.label_lower,
                  "name": capfirst(str(model._meta.verbose_name)),
                  "rows": model._default_manager.count()} for model in portability_models()]
    members = Member.objects.select_related("user", "unit").order_by("unit__name",
                                                                     "user__full_name")
    return pdf_render(html=page_html("documents/pdf/portability.html", {
        "company": company_name, "data_sets": data_sets, "members": members,
        "at": timezone.localtime()}))
