"""A certificate's PDF: the HTML (templates/learning/certificates/certificate.html, A4
landscape, styled by static/pdf/certificate.css, with a QR code of the verify address) and its
rendering. The rendering is a private shim over WeasyPrint until the project renderer
(core.pdf, shared with the handbook) lands on main."""

import mimetypes

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# Relative URLs in the document ("/static/…") resolve against this origin, which can never be
# a real host (RFC 2606); the fetcher below answers only for static files.
_BASE_URL = "https://pdf.invalid/"


def certificate_html(*, number: str, holder_name: str, course_title: str, hours, issued_on,
                     issuer: str, verify_url: str) -> str:
    qr_src = segno.make(verify_url, error="m").svg_data_uri(scale=4, border=2, xmldecl=False)
    with translation.override("zh-hans"):  # a certificate is in Chinese, whoever triggers it
        return render_to_string("learning/certificates/certificate.html", {
            "number": number, "holder_name": holder_name, "course_title": course_title,
            "hours": hours, "issued_on": issued_on, "issuer": issuer, "verify_url": verify_url,
            "qr_src": qr_src})


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """data: URIs and the project's static files; nothing else is fetched."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            prefix = _BASE_URL.rstrip("/") + settings.STATIC_URL
            found = finders.find(url.removeprefix(prefix)) \
                if url.startswith(prefix) and ".." not in url else None
            if not found:
                raise ValueError(f"a certificate fetches only static files: {url}")
            with open(found, "rb") as handle:
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(url, handle.read(), {"Content-Type": kind})

    return StaticOnly(allowed_protocols={"data"}, allow_redirects=False)


def certificate_pdf(*, html: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded only where a PDF is made

    return HTML(string=html, base_url=_BASE_URL, url_fetcher=_static_fetcher()).write_pdf()
