"""Forms to print and fill in by hand, and a QR poster per branch that opens its meetings."""

import segno
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.life.selectors import branches

# (key, title, template): blank forms, the same in every company but for its name.
FORMS = (
    ("form-minutes", gettext_noop("会议记录表"), "documents/pdf/form_minutes.html"),
    ("form-attendance", gettext_noop("组织生活签到表"), "documents/pdf/form_attendance.html"),
    ("form-leave", gettext_noop("请假条"), "documents/pdf/form_leave.html"),
    ("form-dues", gettext_noop("党费收据"), "documents/pdf/form_dues.html"),
    ("form-evidence", gettext_noop("擂台任务佐证材料表"), "documents/pdf/form_evidence.html"),
)


def forms_sections(*, company_name: str, site: str) -> list[Section]:
    sections = [Section(key=key, title=_(title), level=2,
                        html=page_html(template, {"company": company_name, "title": _(title)}))
                for key, title, template in FORMS]
    sections.insert(0, Section(key="forms", title=_("常用表单"), html=page_html(
        "documents/pdf/forms_intro.html", {"forms": [_(title) for _k, title, _t in FORMS]})))
    for branch in branches():
        link = f"{site.rstrip('/')}{reverse('life:list')}?unit={branch.pk}"
        qr = segno.make(link, error="m").svg_data_uri(scale=8, border=2, dark="#7a1010")
        sections.append(Section(
            key=f"qr-{branch.pk}", title=_("%(branch)s · 会议室二维码") % {"branch": branch.name},
            level=2, html=page_html("documents/pdf/qr_poster.html", {
                "company": company_name, "branch": branch.name, "qr": qr, "link": link})))
    return sections
