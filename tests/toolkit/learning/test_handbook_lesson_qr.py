"""扫码党课 in the handbook (toolkit.documents' lesson-qr part): every lesson the company has —
its approved member lessons and the lessons of courses delivered to it — printed with its stable
QR code, which decodes (pdftoppm + zbarimg) to the lesson's URL on the company's own site;
another company's handbook lists none of them."""

from django_tenants.utils import schema_context

from tenants.models import Company
from tenants.selectors import company_primary_url
from tests.toolkit.learning.conftest import course_build, deliver
from tests.toolkit.learning.test_lesson_qr import _decoded
from tests.toolkit.learning.test_member_lessons import _approved
from toolkit.documents.handbook import HandbookFacts, handbook_sections
from toolkit.documents.models import Edition
from toolkit.documents.renderer import pdf_render


def _sections(schema: str, edition: str = Edition.FULL):
    company = Company.objects.get(schema_name=schema)
    with schema_context(schema):
        facts = HandbookFacts(company=company, batch="", issuer="党建孵化器", year=2026)
        return {s.key: s for s in handbook_sections(facts=facts, edition=edition)}


def test_the_handbook_prints_each_lesson_qr_decoding_to_its_stable_url(
        org_a, org_b, media_files, tmp_path):
    member_lesson = _approved(org_a, media_files)
    built = course_build(title="党史学习", kinds=("video", "text"))
    alpha = Company.objects.get(schema_name="alpha")
    deliver(built, companies=[alpha])

    sections = _sections("alpha")
    assert "lesson-qr" in _sections("alpha", Edition.MEMBER)  # members may print them too
    with schema_context("alpha"):
        pdf = pdf_render(html=sections["lesson-qr"].html)
    site = company_primary_url(company=alpha).rstrip("/")
    uids = [member_lesson.uid, *(lesson.uid for lesson in built.lessons.values())]
    assert sorted(_decoded(pdf, tmp_path)) == sorted(f"{site}/learning/l/{uid}/" for uid in uids)
    (tmp_path / "qr.pdf").write_bytes(pdf)
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "qr.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "扫码党课" in text and member_lesson.title in text and "党史学习" in text

    assert "lesson-qr" not in _sections("beta")  # B has no lessons: none of A's are printed
