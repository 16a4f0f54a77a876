"""A certificate's PDF: the HTML (templates/learning/certificates/certificate.html, A4
landscape, styled by static/pdf/certificate.css, with a QR code of the verify address) through
the project's renderer, core.pdf (subset fonts, the safe fetcher)."""

import segno
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import pdf_render


def certificate_html(*, number: str, holder_name: str, course_title: str, hours, issued_on,
                     issuer: str, verify_url: str) -> str:
    qr_src = segno.make(verify_url, error="m").svg_data_uri(scale=4, border=2, xmldecl=False)
    with translation.override("zh-hans"):  # a certificate is in Chinese, whoever triggers it
        return render_to_string("learning/certificates/certificate.html", {
            "number": number, "holder_name": holder_name, "course_title": course_title,
            "hours": hours, "issued_on": issued_on, "issuer": issuer, "verify_url": verify_url,
            "qr_src": qr_src})


def certificate_pdf(*, html: str) -> bytes:
    # The company's storage as the only media it may reach (the certificate embeds none).
    return pdf_render(html=html, media_storage=default_storage)
