"""The one PDF renderer every document uses (handbook, certificates, minutes, reports):
WeasyPrint with the project's Chinese fonts, a safe url_fetcher and, for long documents,
sections rendered apart, cached and merged (docs/decisions/0014-pdf-renderer.md)."""

from core.pdf.fetcher import PdfRefused, pdf_fetcher_for
from core.pdf.render import pdf_render, pdf_warm
from core.pdf.sections import RenderResult, Section, sections_render

__all__ = ["PdfRefused", "RenderResult", "Section", "pdf_fetcher_for", "pdf_render", "pdf_warm",
           "sections_render"]
