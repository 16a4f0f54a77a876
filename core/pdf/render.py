"""One HTML document to PDF: the project's fonts, the shared print stylesheet and the safe
fetcher, on WeasyPrint.

The FontConfiguration and the parsed stylesheets are made once per process and shared by
every render: registering the subset faces copies them into a temporary folder, which a
certificate cannot afford each time.
"""

import atexit
import gc
import hashlib
import os
import shutil
import threading
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.pdf import fonts
from core.pdf.fetcher import INTERNAL_BASE_URL, FetchScope, SafeFetcher, fetch_scope

PRINT_CSS = "pdf/print.css"  # under static/


@cache
def font_config() -> FontConfiguration:
    return FontConfiguration()


class _FontFileFetcher(URLFetcher):
    """Reads the subset faces for the @font-face rules this module writes; nothing else."""

    def fetch(self, url, headers=None):
        folder = fonts.fonts_dir().resolve()
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        if path.parent != folder:
            raise ValueError(f"not a font of ours: {url}")
        return URLFetcherResponse(url, path.read_bytes())


def print_css_path() -> Path:
    return Path(finders.find(PRINT_CSS))


@cache
def base_stylesheets() -> tuple[CSS, ...]:
    """The subsets' @font-face rules and static/pdf/print.css, as user stylesheets: a
    document's own styles (a landscape @page, a certificate's layout) win over them."""
    config = font_config()
    faces = CSS(string=fonts.font_face_css(), font_config=config, url_fetcher=_FontFileFetcher())
    scope = fetch_scope(base_url=None)
    printing = CSS(string=print_css_path().read_text(encoding="utf-8"), base_url=INTERNAL_BASE_URL,
                   font_config=config, url_fetcher=SafeFetcher(scope))
    _remove_at_exit(config._folder)
    return faces, printing


def _remove_at_exit(folder) -> None:
    """WeasyPrint copies the @font-face fonts (~9 MB) into a temporary folder that it removes
    when the FontConfiguration is collected, which a process-wide one never is. Removed at exit
    by the process that made it (forked renderers leave through os._exit and never run this)."""
    if folder is None:
        return
    owner = os.getpid()
    atexit.register(lambda: os.getpid() == owner and shutil.rmtree(folder, ignore_errors=True))


@cache
def style_id() -> str:
    """What the look of a page depends on besides its HTML: the fonts and the stylesheet."""
    digest = hashlib.sha256(fonts.font_set_id().encode())
    digest.update(print_css_path().read_bytes())
    return digest.hexdigest()[:16]


@cache
def _extra_stylesheet(text: str) -> CSS:
    return CSS(string=text, font_config=font_config())


def layout_document(*, html: str, scope: FetchScope, extra_css: str = ""):
    """One document laid out (a weasyprint Document: its pages, not yet written)."""
    config = font_config()
    stylesheets = list(base_stylesheets())
    if extra_css:
        stylesheets.append(_extra_stylesheet(extra_css))
    fetcher = SafeFetcher(scope, applied=frozenset({PRINT_CSS}))
    return HTML(string=html, base_url=scope.base_url, url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=config)


def render_document(*, html: str, scope: FetchScope, extra_css: str = "") -> tuple[bytes, int]:
    """PDF bytes and the page count of one document."""
    document = layout_document(html=html, scope=scope, extra_css=extra_css)
    return document.write_pdf(), len(document.pages)


WARM_HTML = '<!doctype html><html lang="zh-CN"><body><h1>党建</h1><p>工具包 0123</p></body></html>'


def pdf_warm() -> None:
    """What a process's first render pays once: the fonts registered, the stylesheets parsed,
    fontconfig and Pango's caches loaded (by one line laid out in each family). A worker does
    it when it starts, not in a user's render."""
    with _render_lock:
        base_stylesheets()
        style_id()
        layout_document(html=WARM_HTML, scope=fetch_scope(base_url=None))


# One document at a time per process. Every render shares the process's FontConfiguration
# (Pango's font map, fontconfig, HarfBuzz faces), which is not thread-safe: a Celery worker
# with the threads pool rendering both editions at once aborted with "double free or
# corruption". Threads gain nothing from rendering side by side anyway (the GIL); processes
# (prefork children, the handbook's forked renderers) each have their own lock and fonts.
_render_lock = threading.RLock()


def render_lock() -> threading.RLock:
    return _render_lock


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while a document is laid out and written.

    WeasyPrint allocates millions of small objects (boxes, styles, glyph runs) that live until
    the document is written: at the default thresholds the collector ran ~1,400 times during
    the 66-page handbook, traversing the growing document each time, for ~40% of the CPU
    (measured: 5.3 s with it, 3.6 s without, the same peak memory, since the document is
    alive until written anyway). Turned back on afterwards: the document's cycles are
    collected later, outside the render (a forked renderer never collects: its memory goes
    with it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pdf_render(*, html: str, base_url: str | None = None, media_storage=None) -> bytes:
    """One HTML document -> PDF bytes, set in the project's fonts with static/pdf/print.css,
    fetching only static files, data: URIs and media_storage's own files (see fetcher.py).
    media_storage: the storage whose files the document may embed (a company's default storage
    when run in its schema); None: static files only."""
    scope = fetch_scope(base_url=base_url, media_storage=media_storage)
    with _render_lock, collector_paused():
        pdf, _pages = render_document(html=html, scope=scope)
    return pdf
