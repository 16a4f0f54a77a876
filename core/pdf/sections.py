"""A long document (the handbook) as sections: each rendered on its own, in parallel processes
where cores allow, cached by a hash of its HTML and the renderer's version, fonts and print
stylesheet; then a contents page with the right page numbers, the merge, page numbers stamped
in the footers and one bookmark per section (docs/decisions/0014-pdf-renderer.md).

Layout is most of a render's time and grows with the pages, so a change to one section pays
for that section's layout only; the merge (pypdf) and the stamp never lay text out again.
"""

import gc
import hashlib
import os
import pathlib
import re
import select
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from io import BytesIO

from pypdf import PdfReader
from weasyprint.document import DocumentMetadata

from core.pdf import render, shared_fonts, stamp
from core.pdf.fetcher import FetchScope, fetch_scope
from core.pdf.merge import PLACEHOLDER, pdf_merge

# Bump when a change here or in render.py alters the PDF of an unchanged section.
RENDERER_VERSION = "3"

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
    with render.render_lock(), render.collector_paused(), shared_fonts.deferred():
        return _sections_render(cover_html=cover_html, sections=sections, cache_dir=cache_dir,
                                media_storage=media_storage, contents_title=contents_title,
                                workers=workers, progress=progress)


def _sections_render(*, cover_html: str, sections: list[Section], cache_dir: pathlib.Path,
                     media_storage, contents_title: str, workers: int | None,
                     progress: Callable[[int, int], None] | None) -> RenderResult:
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ValueError(f"section keys repeat: {keys}")
    cache_dir = pathlib.Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    render.base_stylesheets()  # fonts built and registered before any fork
    shared_fonts.faces_load()
    scope = fetch_scope(base_url=None, media_storage=media_storage)

    cover_path = _cached_path(cache_dir, "cover", cover_html)
    paths = {section.key: _cached_path(cache_dir, "section", section.html) for section in sections}
    missing = [s for s in sections if not paths[s.key].exists()]
    jobs = [_Job(paths[s.key], s.html) for s in missing]
    # The cover, the contents with placeholder numbers (whose page count the merge needs
    # first) and the footer's sample are laid out beside the sections, not after them.
    placeholders = _contents_html(sections, {s.key: PLACEHOLDER for s in sections},
                                  contents_title)
    for kind, html, extra_css in (("cover", cover_html, NO_FOOTER_CSS),
                                  ("contents", placeholders, NO_FOOTER_CSS),
                                  ("footer", stamp.SAMPLE_HTML, "")):
        path = _cached_path(cache_dir, kind, html + extra_css if kind != "cover" else html)
        if not path.exists():
            jobs.append(_Job(path, html, extra_css, groupable=False))
    total, done = len(sections), len(sections) - len(missing)
    if progress and done:
        progress(done, total)
    section_paths = {paths[s.key] for s in missing}
    # The parent reads every section's file for the merge while the children lay out the rest:
    # the cached ones first, each new one as it is reported.
    readers: dict[pathlib.Path, PdfReader] = {}

    def finished(path: pathlib.Path) -> None:
        nonlocal done
        if path in section_paths:
            done += 1
            _read(path, readers)
            if progress:
                progress(done, total)

    rendered_keys = {s.key for s in missing}
    idle = (_read(paths[s.key], readers) for s in sections if s.key not in rendered_keys)
    _render_all(jobs, scope=scope, workers=workers, finished=finished, idle=idle)

    def contents(numbers: dict[str, str]) -> tuple[bytes, int]:
        html = _contents_html(sections, numbers, contents_title)
        pdf = _cached_render(cache_dir, "contents", html, scope, NO_FOOTER_CSS)
        return pdf, len(PdfReader(BytesIO(pdf)).pages)

    merged = pdf_merge(
        cover=cover_path.read_bytes(), sections=sections,
        bodies=[_read(paths[section.key], readers) for section in sections],
        contents=contents, contents_title=contents_title,
        footer_sample=_cached_render(cache_dir, "footer", stamp.SAMPLE_HTML, scope))
    return RenderResult(pdf=merged.pdf, pages=merged.pages,
                        sha256=hashlib.sha256(merged.pdf).hexdigest(),
                        section_pages=merged.section_pages, rendered=[s.key for s in missing])


def _read(path: pathlib.Path, readers: dict[pathlib.Path, PdfReader]) -> PdfReader:
    """A section's file, read and its page tree parsed, once."""
    if path not in readers:
        reader = PdfReader(BytesIO(path.read_bytes()))
        len(reader.pages)
        readers[path] = reader
    return readers[path]


def _cached_path(cache_dir: pathlib.Path, kind: str, html: str) -> pathlib.Path:
    digest = hashlib.sha256(f"{kind}|{RENDERER_VERSION}|{render.style_id()}|".encode())
    digest.update(html.encode("utf-8"))
    return cache_dir / f"{kind}-{digest.hexdigest()}.pdf"


@dataclass(frozen=True)
class _Job:
    path: pathlib.Path
    html: str
    extra_css: str = NO_FOOTER_CSS
    groupable: bool = True  # a section: may be laid out in one document with others


def _render_all(jobs: list[_Job], *, scope: FetchScope, workers: int | None,
                finished: Callable[[pathlib.Path], None], idle: Iterator = iter(())) -> None:
    """The jobs as a few units (one document each: sections sharing a <head> laid out
    together), largest first, each laid out by a child forked for it (the small ones by one
    child), at most `workers` at once, while the parent only waits and reports progress; with
    one worker the parent lays them out itself. Plain os.fork, not a process pool: a Celery
    prefork child is a daemonic process, which multiprocessing refuses to give children; a
    fork starts with Django, WeasyPrint, the registered fonts and the fetch scope already
    loaded (nothing is pickled). A child runs without the cyclic garbage collector and leaves
    through os._exit: a unit's garbage, most of a layout's objects, is never traversed, and
    is freed at once when the child ends. `idle`: the parent's own work, a step at a time,
    done while it waits (and after the units when it lays them out itself)."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if not _fork_safe():
        workers = 1
    weight = sum(_weight(job) for job in jobs)
    units = _units(jobs, max(workers * UNITS_PER_WORKER, -(-weight // UNIT_WEIGHT_MAX))
                   if workers > 1 else 1)
    if workers == 1:
        for unit in units:
            for path in _work(unit, scope):
                finished(path)
        for _step in idle:
            pass
        return
    # A child per unit of sections; the small documents (cover, contents, footer sample),
    # which come last, share one: a fork and the pages a child touches cost ~30 ms each.
    small = [unit for unit in units if not unit[0].groupable]
    batches = [[unit] for unit in units if unit[0].groupable] + ([small] if small else [])
    children: dict[int, int] = {}
    errors: list[str] = []
    try:
        for batch in batches:
            while len(children) >= workers:
                _collect(children, finished, errors, until=workers - 1, idle=idle)
            if errors:
                break
            pid, reader = _fork_worker(batch, scope)
            children[reader] = pid
    finally:
        _collect(children, finished, errors, until=0, idle=idle)
    for _step in idle:
        pass
    if errors:
        raise RuntimeError("\n".join(errors))


def _fork_safe() -> bool:
    """Only a process with one thread forks renderers: a fork copies the locks other threads
    hold (fontconfig's, Pango's, cairo's) and the child waits for them forever — a Celery
    worker with the threads pool rendering both editions at once hung that way. A prefork
    worker's child, the bench and a command are single-threaded; a threaded process lays the
    units out itself."""
    return threading.active_count() == 1


UNITS_PER_WORKER = 2  # fewer documents lay out faster; more balance the workers better
# A child's memory grows with its unit (its garbage is never collected): ~40 MB over the
# process's own for 36,000 characters of the bench's member rolls. Bigger handbooks get more
# units rather than bigger ones.
UNIT_WEIGHT_MAX = 100_000


def _work(unit: list[_Job], scope: FetchScope):
    """Lays out one unit; yields each path written."""
    if not unit[0].groupable:
        (job,) = unit
        pdf, _pages = render.render_document(html=job.html, scope=scope,
                                             extra_css=job.extra_css)
        _write(job.path, pdf)
        yield job.path
        return
    for job, pdf in zip(unit, _render_group(unit, scope), strict=True):
        _write(job.path, pdf)
        yield job.path


def _fork_worker(batch: list[list[_Job]], scope: FetchScope) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    # The child: renders, says which files it wrote (or why it failed), and leaves through
    # os._exit, so nothing of the parent's (its database connection, atexit) is touched.
    status = 1
    try:
        os.close(reader)
        gc.disable()  # its garbage goes with it
        for unit in batch:
            for path in _work(unit, scope):
                os.write(writer, f"{path}\n".encode())
        status = 0
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        message = traceback.format_exc()[-4000:].replace("\n", "\\n")
        os.write(writer, f"!{message}\n".encode("utf-8", "replace"))
    finally:
        os._exit(status)


def _collect(children: dict[int, int], finished: Callable[[pathlib.Path], None],
             errors: list[str], *, until: int, idle: Iterator = iter(())) -> None:
    """Reads what the children report until no more than `until` of them are left, taking
    steps of `idle` while none has anything to say."""
    while len(children) > until:
        ready, _w, _x = select.select(list(children), [], [], 0)
        if not ready and next(idle, _DONE) is not _DONE:
            continue
        if not ready:
            ready, _w, _x = select.select(list(children), [], [])
        for reader in ready:
            chunk = os.read(reader, 65536)
            if chunk:
                buffered = _pending.pop(reader, b"") + chunk
                *lines, rest = buffered.split(b"\n")
                _pending[reader] = rest
                for line in lines:
                    text = line.decode("utf-8", "replace")
                    if text.startswith("!"):
                        errors.append(text[1:].replace("\\n", "\n"))
                    else:
                        finished(pathlib.Path(text))
                continue
            os.close(reader)
            _pending.pop(reader, None)
            pid = children.pop(reader)
            _pid, status = os.waitpid(pid, 0)
            if status and not errors:
                errors.append(f"renderer {pid} ended with status {status}")


_DONE = object()
_pending: dict[int, bytes] = {}  # a child's report read up to the middle of a line

# What costs layout time: text and tables, not the bytes of an SVG drawing or an image.
_WEIGHTLESS = re.compile(r"<svg\b.*?</svg>|data:[^\"')\s]+", re.S | re.I)


def _units(jobs: list[_Job], count: int) -> list[list[_Job]]:
    """About `count` units of like weight, heaviest first: sections sharing a <head> packed
    together (heaviest into the lightest unit), the cover and the contents alone."""
    alone = [[job] for job in jobs if not job.groupable or _split_html(job.html) is None]
    kinds: dict[str, list[_Job]] = {}
    for job in jobs:
        if job.groupable and (parts := _split_html(job.html)) is not None:
            kinds.setdefault(f"{job.extra_css}|{parts[0]}", []).append(job)
    units = alone
    for members in kinds.values():
        bins: list[list[_Job]] = [[] for _ in range(max(1, min(count, len(members))))]
        loads = [0] * len(bins)
        for job in sorted(members, key=lambda job: -_weight(job)):
            lightest = loads.index(min(loads))
            bins[lightest].append(job)
            loads[lightest] += _weight(job)
        units += [sorted(group, key=members.index) for group in bins if group]
    return sorted(units, key=lambda unit: -sum(_weight(job) for job in unit))


def _weight(job: _Job) -> int:
    return len(_WEIGHTLESS.sub("", job.html))


# A group's sections: each body in a block that starts a page and carries a bookmark the split
# finds and removes (not an id: ids become named destinations, written into the PDF).
PART_MARK = "\u2063pdf-part"
PART_CSS = (".pdf-part { display: block; break-before: page; bookmark-level: 1; "
            "bookmark-label: \"\\2063pdf-part\"; }")
_DOCUMENT = re.compile(r"^(?P<head>.*?)<body(?P<attrs>(?:\s+class=\"[^\"<>]*\")?)\s*>"
                       r"(?P<body>.*)</body>\s*(?:</html>)?\s*$", re.S | re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
_CLASS = re.compile(r'class="([^"]*)"')


def _split_html(html: str) -> tuple[str, str, str] | None:
    """(head without its title, body classes, body) of a document one group may take."""
    match = _DOCUMENT.match(html)
    if match is None:
        return None
    classes = _CLASS.search(match["attrs"])
    return _TITLE.sub("", match["head"]), classes[1] if classes else "", match["body"]


def _render_group(unit: list[_Job], scope: FetchScope) -> list[bytes]:
    """One layout for the unit, one PDF per section. A section's PDF does not depend on the
    others in its group (each starts a page, its pages are written alone, with no metadata),
    so the cache holds the same bytes however the sections were grouped (tested)."""
    parts = [_split_html(job.html) for job in unit]
    body = "".join(f'<div class="pdf-part {escape(classes)}">{inner}</div>'
                   for _head, classes, inner in parts)
    html = f"{parts[0][0]}<body>{body}</body></html>"
    document = render.layout_document(html=html, scope=scope,
                                      extra_css=f"{unit[0].extra_css}\n{PART_CSS}")
    starts = []
    for number, page in enumerate(document.pages):
        if any(mark[1] == PART_MARK for mark in page.bookmarks):
            starts.append(number)
            page.bookmarks = [mark for mark in page.bookmarks if mark[1] != PART_MARK]
    if len(starts) != len(unit) or (starts and starts[0] != 0):
        raise RuntimeError(f"{len(unit)} sections laid out, {len(starts)} found")
    ends = [*starts[1:], len(document.pages)]
    pdfs = []
    for first, end in zip(starts, ends, strict=True):
        part = document.copy(document.pages[first:end])
        part.metadata = DocumentMetadata()
        pdfs.append(part.write_pdf())
    return pdfs


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
