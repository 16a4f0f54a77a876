"""Forms to print and fill in by hand, and a QR poster per branch that opens its meetings.

Two sections, not one per form or poster: the forms never change but for the company's name,
the posters only when branches do, and every section is a document of its own to lay out."""

import segno
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.life.selectors import branches

# (title, template): blank forms, the same in every company but for its name.
FORMS = (
    (gettext_noop("会议记录表"), "documents/pdf/_form_minutes.html"),
    (gettext_noop("组织生活签到表"), "documents/pdf/_form_attendance.html"),
    (gettext_noop("请假条"), "documents/pdf/_form_leave.html"),
    (gettext_noop("党费收据"), "documents/pdf/_form_dues.html"),
    (gettext_noop("擂台任务佐证材料表"), "documents/pdf/_form_evidence.html"),
)


def forms_sections(*, company_name: str, site: str) -> list[Section]:
    forms = [{"title": _(title), "template": template} for title, template in FORMS]
    posters = []
    for branch in branches():
        link = f"{site.rstrip('/')}{reverse('life:list')}?unit={branch.pk}"
        posters.append({"branch": branch.name, "link": link,
                        "qr": segno.make(link, error="m").svg_data_uri(
                            scale=8, border=2, dark="#7a1010")})
    sections = [Section(key="forms", title=_("常用表单"), html=page_html(
        "documents/pdf/forms.html", {"company": company_name, "forms": forms}))]
    if posters:
        sections.append(Section(key="qr-posters", title=_("会议室二维码"), level=2,
                                html=page_html("documents/pdf/qr_posters.html",
                                               {"company": company_name, "posters": posters})))
    return sections
