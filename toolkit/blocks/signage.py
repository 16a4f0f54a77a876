"""A block's signage: name, scope, responsible member, paired employees and the QR code of
its public page, A5 or A4, through the project's one renderer (core.pdf, decision 0014)."""

import segno
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import pdf_render
from toolkit.blocks.models import Block

SIZES = ("a5", "a4")


def signage_pdf(*, block: Block, url: str, size: str) -> bytes:
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2, xmldecl=False)
    with translation.override("zh-hans"):  # signage is printed in Chinese
        html = render_to_string("blocks/signage.html", {
            "blk": block, "url": url, "qr": qr, "size": size if size in SIZES else "a4",
            "responsible": block.responsible.user.full_name})
    return pdf_render(html=html)
