"""The handbook's training part (from shared training, toolkit.learning): the courses
delivered to or adopted by the company, and the yearly 学时 requirement it set."""

from django.utils.translation import gettext as _

from tenants.models import Company
from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.learning.selectors import adoptions_of, deliveries_for_company, learning_settings


def training_sections(*, company: Company) -> list[Section]:
    delivered = [{"title": d.course.title, "audience": d.get_audience_display(),
                  "required": d.required, "opens_on": d.opens_on, "due_on": d.due_on}
                 for d in deliveries_for_company(company=company)
                 .select_related("course").order_by("opens_on", "id")]
    adopted = [a.course.title for a in adoptions_of(company=company).order_by("adopted_at", "id")]
    hours = learning_settings()
    return [Section(key="training", title=_("学习培训"), html=page_html(
        "documents/pdf/training.html", {"delivered": delivered, "adopted": adopted,
                                        "member_hours": hours.member_hours,
                                        "leader_hours": hours.leader_hours}))]
