"""The one PDF renderer (core.pdf), named once here for the documents app."""

from core.pdf import (  # noqa: F401 - re-exported
    PdfRefused,
    RenderResult,
    Section,
    pdf_render,
    pdf_warm,
    sections_render,
)
