"""A long document (the handbook) as sections: each rendered on its own, in parallel processes
where cores allow, cached by a hash of its HTML and the renderer's version, fonts and print
stylesheet; then a contents page with the right page numbers, the merge, page numbers stamped
in the footers and one bookmark per section (docs/decisions/0014-pdf-renderer.md).

Layout is most of a render's time and grows with the pages, so a change to one section pays
for that section's layout only; the merge (pypdf) and the stamp never lay text out again.
"""

import hashlib
import multiprocessing
import os
import pathlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from html import escape
from io import BytesIO

from pypdf import PdfReader

from core.pdf import render, stamp
from core.pdf.fetcher import FetchScope, fetch_scope
from core.pdf.merge import pdf_merge

# Bump when a change here or in render.py alters the PDF of an unchanged section.
RENDERER_VERSION = "1"

# Sections are rendered without page numbers: the merge stamps them, right for the whole.
# !important: a user stylesheet's important rule beats the section's own link to print.css.
NO_FOOTER_CSS = "@page { @bottom-center { content: none !important } }"


@dataclass(frozen=True)
class Section:
    key: str          # stable id, e.g. "org", "rules", "forms.minutes"
    title: str        # heading shown in the contents and the bookmark
    html: str         # a full HTML document for this section
    level: int = 1    # bookmark level (1 = top)


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    sha256: str                    # of pdf
    section_pages: dict[str, int]  # key -> first page (1-based) in the merged PDF
    rendered: list[str]            # keys rendered this time (cache misses)


def sections_render(*, cover_html: str, sections: list[Section], cache_dir: pathlib.Path,
                    media_storage=None, contents_title: str = "目录", workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> RenderResult:
    """Cover, contents, then every section, merged; the same inputs give the same bytes."""
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ValueError(f"section keys repeat: {keys}")
    cache_dir = pathlib.Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    render.base_stylesheets()  # fonts built and registered before any fork
    scope = fetch_scope(base_url=None, media_storage=media_storage)

    cover_path = _cached_path(cache_dir, "cover", cover_html)
    paths = {section.key: _cached_path(cache_dir, "section", section.html) for section in sections}
    jobs = [(cover_path, cover_html)] if not cover_path.exists() else []
    missing = [s for s in sections if not paths[s.key].exists()]
    jobs += [(paths[s.key], s.html) for s in missing]
    total, done = len(sections), len(sections) - len(missing)
    if progress and done:
        progress(done, total)

    def finished(path: pathlib.Path) -> None:
        nonlocal done
        if path != cover_path:
            done += 1
            if progress:
                progress(done, total)

    _render_all(jobs, scope=scope, workers=workers, finished=finished)

    def contents(numbers: dict[str, str]) -> tuple[bytes, int]:
        html = _contents_html(sections, numbers, contents_title)
        pdf = _cached_render(cache_dir, "contents", html, scope, NO_FOOTER_CSS)
        return pdf, len(PdfReader(BytesIO(pdf)).pages)

    merged = pdf_merge(
        cover=cover_path.read_bytes(), sections=sections,
        bodies=[paths[section.key].read_bytes() for section in sections],
        contents=contents, contents_title=contents_title,
        footer_sample=_cached_render(cache_dir, "footer", stamp.SAMPLE_HTML, scope))
    return RenderResult(pdf=merged.pdf, pages=merged.pages,
                        sha256=hashlib.sha256(merged.pdf).hexdigest(),
                        section_pages=merged.section_pages, rendered=[s.key for s in missing])


def _cached_path(cache_dir: pathlib.Path, kind: str, html: str) -> pathlib.Path:
    digest = hashlib.sha256(f"{kind}|{RENDERER_VERSION}|{render.style_id()}|".encode())
    digest.update(html.encode("utf-8"))
    return cache_dir / f"{kind}-{digest.hexdigest()}.pdf"


# The scope a forked renderer uses: inherited from the parent at fork, never pickled (a
# company's storage reads its schema from the parent's connection state).
_fork_scope: FetchScope | None = None


def _render_to(path: str, html: str, scope: FetchScope | None = None) -> str:
    pdf, _pages = render.render_document(html=html, scope=scope or _fork_scope,
                                         extra_css=NO_FOOTER_CSS)
    _write(path, pdf)
    return path


def _render_all(jobs, *, scope: FetchScope, workers: int | None,
                finished: Callable[[pathlib.Path], None]) -> None:
    global _fork_scope
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if multiprocessing.current_process().daemon:
        workers = 1  # a daemonic process (a pool's worker) may not start children
    if workers <= 1:
        for path, html in jobs:
            _render_to(str(path), html, scope)
            finished(path)
        return
    _fork_scope = scope
    # fork: the children start with Django, WeasyPrint and the registered fonts already loaded.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(_render_to, str(path), html) for path, html in jobs]
        for future in as_completed(futures):
            finished(pathlib.Path(future.result()))


def _cached_render(cache_dir: pathlib.Path, kind: str, html: str, scope: FetchScope,
                   extra_css: str = "") -> bytes:
    """The contents change with page counts only (an unchanged count, most re-renders, finds
    them here); the footer's sample never."""
    path = _cached_path(cache_dir, kind, html + extra_css)
    if not path.exists():
        pdf, _pages = render.render_document(html=html, scope=scope, extra_css=extra_css)
        _write(path, pdf)
    return path.read_bytes()


def _write(path: pathlib.Path | str, pdf: bytes) -> None:
    partial = f"{path}.{os.getpid()}.part"
    with open(partial, "wb") as out:
        out.write(pdf)
    os.replace(partial, path)  # a concurrent render of the same part writes the same bytes


# One dot of the contents' leaders, as a background tile.
DOT = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='1'%3E"
       "%3Crect width='1' height='1' fill='%23777'/%3E%3C/svg%3E")


def _contents_html(sections: list[Section], numbers: dict[str, str], title: str) -> str:
    rows = "\n".join(
        f'<li class="toc-{min(max(s.level, 1), 3)}"><span class="n">{escape(numbers[s.key])}</span>'
        f'<span class="t">{escape(s.title)}</span></li>'
        for s in sections)
    # The dots are one row under the line, the title and the number on white over it: a
    # repeated background is one PDF pattern, where leader() or a dotted border is drawn dot
    # by dot (thousands of paths, half a second a page).
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
    h1.toc-title {{ text-align: center; border: none; margin-bottom: 8mm; }}
    ol.toc {{ list-style: none; margin: 0; padding: 0; text-align: left; }}
    ol.toc li {{ position: relative; margin: 0; padding: 1.6mm 0 0; }}
    ol.toc li::before {{ content: ""; position: absolute; left: 0; right: 2.2em; bottom: 0.45em;
                        height: 0.9pt; background: url("{DOT}") repeat-x;
                        background-size: 3.6pt 0.9pt; }}
    ol.toc .t {{ position: relative; background: #fff; padding-right: 2mm; }}
    ol.toc .n {{ position: relative; float: right; background: #fff; padding-left: 2mm;
                font-variant-numeric: tabular-nums; }}
    ol.toc li.toc-1 {{ font-family: "PB Sans", "Noto Sans CJK SC", sans-serif; font-weight: 700;
                      padding-top: 3.2mm; }}
    ol.toc li.toc-2 {{ padding-left: 2em; }}
    ol.toc li.toc-3 {{ padding-left: 4em; }}
    ol.toc li.toc-2::before {{ left: 2em; }}
    ol.toc li.toc-3::before {{ left: 4em; }}
    </style></head><body><h1 class="toc-title">{escape(title)}</h1>
    <ol class="toc">{rows}</ol></body></html>"""
