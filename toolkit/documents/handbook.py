"""The handbook (党建工具包手册) as sections, built from the company's live data.

A registry of parts: each names the section builder of one module and whether members may
read it. A module that does not exist in this installation simply has no part; later modules
(training, learning, indices…) add theirs here, each appearing when its app is installed."""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.models import Company
from tenants.selectors import company_primary_url
from toolkit.documents.handbook_acting import acting_sections
from toolkit.documents.handbook_blocks import blocks_sections
from toolkit.documents.handbook_calendar import calendar_sections
from toolkit.documents.handbook_forms import forms_sections
from toolkit.documents.handbook_indices import indices_sections
from toolkit.documents.handbook_lessons import lesson_qr_sections
from toolkit.documents.handbook_org import org_sections
from toolkit.documents.handbook_rules import rules_sections
from toolkit.documents.handbook_training import training_sections
from toolkit.documents.models import Edition
from toolkit.documents.pages import page_html
from toolkit.documents.renderer import Section
from toolkit.org.models import OrgUnit


@dataclass(frozen=True)
class HandbookFacts:
    """What the cover shows beside the data: who issued it and in which batch."""

    company: Company
    batch: str
    issuer: str
    year: int


def handbook_site(*, company: Company) -> str:
    """The company's address as its printed QR codes carry it: rendered in a worker, with no
    request to take the port from, so the public port the site is served on (PUBLIC_PORT, as
    the certificates' verify links) rather than none."""
    return company_primary_url(company=company, port=settings.PUBLIC_PORT)


@dataclass(frozen=True)
class Part:
    key: str
    app: str  # the Django app label the part needs
    member_facing: bool  # in the members' edition too
    build: Callable[[HandbookFacts], list[Section]]


PARTS: tuple[Part, ...] = (
    Part("organisation", "org", False, lambda facts: org_sections()),
    Part("rules", "points", True, lambda facts: rules_sections()),
    Part("calendar", "life", True, lambda facts: calendar_sections(year=facts.year)),
    Part("forms", "life", True, lambda facts: forms_sections(
        company_name=facts.company.name, site=handbook_site(company=facts.company))),
    Part("training", "learning", True, lambda facts: training_sections(company=facts.company)),
    Part("lesson-qr", "learning", True, lambda facts: lesson_qr_sections(
        company=facts.company, site=handbook_site(company=facts.company))),
    Part("indices", "indices", True, lambda facts: indices_sections()),
    Part("blocks", "blocks", True, lambda facts: blocks_sections(
        site=handbook_site(company=facts.company))),
    Part("acting", "acting", True, lambda facts: acting_sections()),
)


def handbook_sections(*, facts: HandbookFacts, edition: str) -> list[Section]:
    """Every section of the edition, in order (printed in Chinese)."""
    sections = []
    with translation.override("zh-hans"):
        for part in PARTS:
            if not apps.is_installed(f"toolkit.{part.app}") and not apps.is_installed(part.app):
                continue
            if edition == Edition.MEMBER and not part.member_facing:
                continue
            sections.extend(part.build(facts))
    return sections


def data_fingerprint(*, facts: HandbookFacts, edition: str, sections: list[Section]) -> str:
    """A hash of everything the handbook shows but its date: equal fingerprints mean the same
    data, so the same cover date and the same file."""
    digest = hashlib.sha256(f"{edition}\n{facts.company.name}\n{facts.batch}\n{facts.issuer}"
                            .encode())
    for section in sections:
        digest.update(f"\n{section.key}\n{section.title}\n{section.level}\n".encode())
        digest.update(section.html.encode())
    return digest.hexdigest()


def cover_html(*, facts: HandbookFacts, edition: str, dated: datetime.datetime) -> str:
    committee = OrgUnit.objects.filter(parent=None).order_by("order", "id").first()
    with translation.override("zh-hans"):
        return page_html("documents/pdf/cover.html", {
            "company": facts.company.name, "party": committee.name if committee else "",
            "batch": facts.batch, "issuer": facts.issuer,
            "date": timezone.localtime(dated).date(),
            "edition": _("党员版") if edition == Edition.MEMBER else "",
        })
