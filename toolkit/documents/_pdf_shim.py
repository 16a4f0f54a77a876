"""A stand-in for core.pdf (being built on another branch) with its exact signatures, so the
handbook can be built and tested now. Deleted when core.pdf lands."""

import hashlib
import mimetypes
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

_BASE = "https://pdf.invalid/"


class PdfRefused(Exception):
    pass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    html: str
    level: int = 1


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    sha256: str
    section_pages: dict[str, int]
    rendered: list[str]


class _Fetcher(URLFetcher):
    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if url.startswith(_BASE) and parts.path.startswith("/static/"):
            found = finders.find(parts.path.removeprefix("/static/"))
            if found:
                return URLFetcherResponse(url, pathlib.Path(found).read_bytes(), headers={
                    "Content-Type": mimetypes.guess_type(found)[0] or "text/css"})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise PdfRefused(url)


_fetch = _Fetcher()


def _document(html: str):
    return HTML(string=html, base_url=_BASE, url_fetcher=_fetch).render()


def pdf_render(*, html: str, base_url: str | None = None, media_storage=None) -> bytes:
    return _document(html).write_pdf()


def sections_render(*, cover_html: str, sections: list[Section], cache_dir: pathlib.Path,
                    media_storage=None, contents_title: str = "目录", workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> RenderResult:
    documents, rendered = [], []
    total = len(sections) + 2
    for number, section in enumerate(sections, start=1):
        documents.append(_document(section.html))
        rendered.append(section.key)
        if progress:
            progress(number, total)
    cover = _document(cover_html)
    start = len(cover.pages) + 1
    section_pages = {}
    for section, document in zip(sections, documents, strict=True):
        section_pages[section.key] = start + 1  # one contents page
        start += len(document.pages)
    rows = "".join(f"<li>{s.title} …… {section_pages[s.key]}</li>" for s in sections)
    contents = _document(f"<h1>{contents_title}</h1><ul>{rows}</ul>")
    pages = cover.pages + contents.pages + [p for d in documents for p in d.pages]
    pdf = cover.copy(pages).write_pdf()
    if progress:
        progress(total, total)
    return RenderResult(pdf=pdf, pages=len(pages), sha256=hashlib.sha256(pdf).hexdigest(),
                        section_pages=section_pages, rendered=rendered)
