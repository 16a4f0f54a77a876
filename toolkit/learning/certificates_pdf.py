"""A certificate's PDF: the HTML (templates/learning/certificates/certificate.html, A4
landscape, with a QR code of the verify address) and its rendering. The rendering is a private
shim over WeasyPrint until the project renderer (core.pdf, shared with the handbook) lands."""

import segno
from django.template.loader import render_to_string
from django.utils import translation


def certificate_html(*, number: str, holder_name: str, course_title: str, hours, issued_on,
                     issuer: str, verify_url: str) -> str:
    qr_src = segno.make(verify_url, error="m").svg_data_uri(scale=4, border=2, xmldecl=False)
    with translation.override("zh-hans"):  # a certificate is in Chinese, whoever triggers it
        return render_to_string("learning/certificates/certificate.html", {
            "number": number, "holder_name": holder_name, "course_title": course_title,
            "hours": hours, "issued_on": issued_on, "issuer": issuer, "verify_url": verify_url,
            "qr_src": qr_src})


def certificate_pdf(*, html: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded only where a PDF is made

    return HTML(string=html).write_pdf()
