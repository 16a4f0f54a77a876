"""The one PDF renderer (core.pdf), named once here for the documents app."""

from toolkit.documents._pdf_shim import (  # noqa: F401 - re-exported
    PdfRefused,
    RenderResult,
    Section,
    pdf_render,
    sections_render,
)
