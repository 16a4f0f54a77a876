"""A document of sections: the contents' numbers are where the headings are, bookmarks point
there, footers number the whole, one changed section is the only one rendered again, and the
same inputs give the same bytes."""

import os
import re
import subprocess
import sys
import threading
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.pdf import Section, sections_render, shared_fonts
from core.pdf import render as render_module
from core.pdf import sections as sections_module

from . import pdftools

COVER = """<!doctype html><html lang="zh-CN"><body><h1>甲公司党建工具包</h1>
<p>发放单位：某某区党建孵化器</p></body></html>"""


def section(key: str, title: str, paragraphs: int, level: int = 1) -> Section:
    body = "".join(f"<p>{title}第{n}段：党的基层组织是党在社会基层组织中的战斗堡垒，"
                   f"是党全部工作和战斗力的基础。</p>" for n in range(paragraphs))
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<link rel="stylesheet" href="/static/pdf/print.css"></head>'
            f"<body><h1>{title}</h1>{body}</body></html>")
    return Section(key=key, title=title, html=html, level=level)


def handbook(org_paragraphs: int = 3) -> list[Section]:
    return [
        section("org", "组织架构", org_paragraphs),
        section("org.branches", "支部名单", 2, level=2),
        section("rules", "制度规则", 70),  # several pages
        section("forms.minutes", "会议记录表", 4),
    ]


def render(tmp_path, sections, **kwargs):
    return sections_render(cover_html=COVER, sections=sections, cache_dir=tmp_path / "cache",
                           **kwargs)


def heading_pages(pdf: bytes, tmp_path, titles: list[str], pages: int) -> dict[str, int]:
    """The page each section's heading stands on, read back with pdftotext (after the
    contents, where every title appears too)."""
    found = {}
    for page in range(3, pages + 1):
        lines = [line.strip() for line in pdftools.text(pdf, tmp_path, page).splitlines()]
        for title in titles:
            if title in lines and title not in found:
                found[title] = page
    return found


def contents_numbers(pdf: bytes, tmp_path) -> dict[str, int]:
    text = pdftools.text(pdf, tmp_path, 2, layout=True)
    return {m[1]: int(m[2]) for m in re.finditer(r"^\s*(\S+)\s+(\d+)\s*$", text, re.M)}


def outline(pdf: bytes) -> list[tuple[str, int, int]]:
    """(title, 1-based page, depth) for every bookmark."""
    reader = PdfReader(BytesIO(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1, depth))

    walk(reader.outline, 1)
    return found


@pytest.fixture
def first(tmp_path):
    return render(tmp_path, handbook())


def test_contents_numbers_are_where_the_headings_are(first, tmp_path):
    titles = [s.title for s in handbook()]
    at = heading_pages(first.pdf, tmp_path, titles, first.pages)
    listed = contents_numbers(first.pdf, tmp_path)
    for s in handbook():
        assert at[s.title] == first.section_pages[s.key] == listed[s.title], s.key
    # the rules span pages
    assert first.section_pages["forms.minutes"] > first.section_pages["rules"] + 1
    assert "目录" in pdftools.text(first.pdf, tmp_path, 2)


def test_bookmarks_point_at_each_section(first):
    marks = outline(first.pdf)
    assert marks[0] == ("目录", 2, 1)
    by_title = {title: (page, depth) for title, page, depth in marks}
    for s in handbook():
        assert by_title[s.title] == (first.section_pages[s.key], s.level)


def test_footers_number_the_whole_document_but_the_cover(first, tmp_path):
    assert not re.search(r"\d+\s*/\s*\d+", pdftools.text(first.pdf, tmp_path, 1))
    for page in range(2, first.pages + 1):
        footer = pdftools.text(first.pdf, tmp_path, page).strip().splitlines()[-1]
        assert re.fullmatch(rf"{page}\s*/\s*{first.pages}", footer.strip()), footer


def test_page_numbers_are_centred_on_landscape_pages_too(tmp_path):
    landscape = Section(key="forms.attendance", title="签到表", html=(
        '<!doctype html><html lang="zh-CN"><head><style>@page { size: A4 landscape }</style>'
        "</head><body><h1>签到表</h1><table><tr><th>姓名</th><th>签到</th></tr></table>"
        "</body></html>"))
    result = render(tmp_path, [*handbook(), landscape])
    for page in (result.section_pages["forms.minutes"], result.section_pages[landscape.key]):
        text, left, right, width = pdftools.footer_span(result.pdf, tmp_path, page)
        assert re.fullmatch(rf"{page}\s*/\s*{result.pages}", text), text
        assert abs((left + right) / 2 - width / 2) < 2, (page, left, right, width)
    assert pdftools.footer_span(result.pdf, tmp_path, result.pages)[3] > 800  # landscape indeed


def test_fonts_embedded_subsets_and_page_one_not_blank(first, tmp_path):
    rows = pdftools.fonts(first.pdf, tmp_path)
    assert rows and all(r["emb"] == "yes" and r["sub"] == "yes" for r in rows)
    assert pdftools.first_page_ink(first.pdf, tmp_path) > 0.002
    assert "甲公司党建工具包" in pdftools.text(first.pdf, tmp_path, 1)


def font_programs(pdf: bytes) -> list[bytes]:
    """The font program of every font the document's pages use (the same one repeated when
    fonts share it)."""
    reader = PdfReader(BytesIO(pdf))
    programs = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            stream = descriptor.get_object().raw_get("/FontFile3")
            programs.append((stream.idnum, stream.get_object().get_data()))
    return list(dict(programs).values())


def test_the_merge_embeds_each_face_once_for_every_section(first, tmp_path):
    """Sections are cached without their faces' programs; the merge subsets each face once,
    for the glyphs of all of them, and every glyph drawn is in it."""
    programs = font_programs(first.pdf)
    assert 1 <= len(programs) <= len(shared_fonts.fonts.FACES)  # not one per section
    assert all(p.startswith(b"OTTO") and not p.startswith(shared_fonts.MAGIC) for p in programs)
    drawn = pdftools.drawn_glyphs(first.pdf)
    assert "织" in drawn
    for char, uses in drawn.items():
        assert ord(char) < 0x2E80 or all(real for _font, real in uses), char
    cached = list((tmp_path / "cache").glob("section-*.pdf"))
    assert cached and all(program.startswith(shared_fonts.MAGIC)
                          for path in cached for program in font_programs(path.read_bytes()))


def test_one_changed_section_is_the_only_one_rendered_and_numbers_follow(first, tmp_path):
    assert sorted(first.rendered) == sorted(s.key for s in handbook())
    again = render(tmp_path, handbook())
    assert again.rendered == []
    assert again.sha256 == first.sha256

    longer = render(tmp_path, handbook(org_paragraphs=60))  # org grows by pages
    assert longer.rendered == ["org"]
    grown = longer.section_pages["org.branches"] - first.section_pages["org.branches"]
    assert grown >= 1
    for key in ("rules", "forms.minutes"):
        assert longer.section_pages[key] == first.section_pages[key] + grown
    titles = [s.title for s in handbook()]
    at = heading_pages(longer.pdf, tmp_path, titles, longer.pages)
    listed = contents_numbers(longer.pdf, tmp_path)
    for s in handbook():
        assert at[s.title] == longer.section_pages[s.key] == listed[s.title]


def test_same_inputs_same_bytes_from_a_fresh_cache_in_parallel_or_not(first, tmp_path):
    serial = sections_render(cover_html=COVER, sections=handbook(), cache_dir=tmp_path / "one",
                             workers=1)
    parallel = sections_render(cover_html=COVER, sections=handbook(), cache_dir=tmp_path / "two",
                               workers=2)
    assert serial.sha256 == parallel.sha256 == first.sha256
    assert serial.pdf == first.pdf


def test_another_process_renders_the_same_bytes(first, tmp_path):
    """A worker restarted between two renders of unchanged data still gives one content hash."""
    script = ("import django, pathlib, sys; django.setup(); "
              "from tests.core.pdf.test_sections_render import COVER, handbook; "
              "from core.pdf import sections_render; "
              "print(sections_render(cover_html=COVER, sections=handbook(), "
              "cache_dir=pathlib.Path(sys.argv[1])).sha256)")
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="saas.settings", PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "elsewhere")], cwd=root,
                         env=env, check=True, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == first.sha256


def test_progress_counts_sections_as_they_finish(tmp_path):
    calls = []
    render(tmp_path, handbook(), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (4, 4)
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    calls.clear()
    render(tmp_path, handbook(), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(4, 4)]  # everything cached


def test_repeated_keys_are_a_bug(tmp_path):
    with pytest.raises(ValueError):
        render(tmp_path, [section("a", "甲", 1), section("a", "乙", 1)])


def cached_section(cache_dir: Path, section: Section) -> bytes:
    (path,) = [p for p in cache_dir.glob("section-*.pdf")
               if p.name == sections_module._cached_path(cache_dir, "section",
                                                         section.html).name]
    return path.read_bytes()


def test_a_section_is_the_same_bytes_laid_out_alone_or_with_others(tmp_path):
    """Sections are laid out in groups (one document per worker) and split back: the cache
    must hold the same bytes whatever the group, or a re-render would change the hash."""
    sections = handbook()
    render(tmp_path / "all", sections, workers=1)  # one group of four
    for section in sections:
        sections_render(cover_html=COVER, sections=[section], cache_dir=tmp_path / section.key)
        assert (cached_section(tmp_path / section.key, section)
                == cached_section(tmp_path / "all" / "cache", section)), section.key


def _render_in_a_daemon(cache_dir: str) -> tuple[str, int]:
    import multiprocessing

    forks = []
    real = sections_module._fork_worker

    def counted(batch, scope):
        forks.append(len(batch))
        return real(batch, scope)

    sections_module._fork_worker = counted
    assert multiprocessing.current_process().daemon  # as in a Celery prefork child
    result = sections_render(cover_html=COVER, sections=handbook(), cache_dir=Path(cache_dir),
                             workers=2)
    return result.sha256, len(forks)


def test_a_celery_prefork_child_still_renders_in_parallel(first, tmp_path):
    import billiard

    with billiard.get_context("fork").Pool(1) as pool:
        sha256, forks = pool.apply(_render_in_a_daemon, (str(tmp_path / "daemon"),))
    assert forks >= 2  # each unit laid out by a child forked for it, the parent waiting
    assert sha256 == first.sha256


def test_a_threaded_process_renders_without_forking(tmp_path, monkeypatch):
    """A Celery worker with the threads pool: a fork would copy the locks the other threads
    hold, so the units are laid out in the process, and give the same file."""
    forked = render(tmp_path / "forked", handbook(), workers=2)
    forks = []
    monkeypatch.setattr(sections_module, "_fork_worker",
                        lambda *args: forks.append(args) or pytest.fail("forked"))
    ready, done = threading.Event(), threading.Event()
    other = threading.Thread(target=lambda: (ready.set(), done.wait(60)))
    other.start()
    try:
        ready.wait()
        result = render(tmp_path, handbook(), workers=2)
    finally:
        done.set()
        other.join()
    assert forks == []
    assert result.sha256 == forked.sha256


def test_threads_rendering_at_once_take_turns_and_give_the_same_files(tmp_path, monkeypatch):
    """The threads pool renders both editions at once: the process's shared fonts (Pango,
    fontconfig, HarfBuzz) are not thread-safe (a worker aborted with "double free or
    corruption"), so documents are laid out one at a time, and each file is as alone."""
    alone = render(tmp_path / "alone", handbook(), workers=2)
    inside, most = [0], [0]
    layout = render_module.layout_document

    def counted(**kwargs):
        inside[0] += 1
        most[0] = max(most[0], inside[0])
        try:
            return layout(**kwargs)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(render_module, "layout_document", counted)
    results, errors = {}, []

    def one(name):
        try:
            results[name] = (render(tmp_path / name, handbook(), workers=2) if name != "cert"
                             else render_module.pdf_render(html=COVER))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=one, args=(name,)) for name in ("full", "member", "cert")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert most[0] == 1
    assert results["full"].sha256 == results["member"].sha256 == alone.sha256
    assert results["cert"].startswith(b"%PDF")


def test_a_failing_renderer_child_fails_the_render_with_its_error(tmp_path, monkeypatch):
    real, parent = render_module.layout_document, os.getpid()

    def layout(*, html, **kwargs):
        if os.getpid() != parent:  # whatever unit the child takes off the queue
            raise ValueError("爆炸了")
        return real(html=html, **kwargs)

    monkeypatch.setattr(render_module, "layout_document", layout)
    monkeypatch.setattr(sections_module, "_fork_safe", lambda: True)  # whatever else runs here
    sections = [section("a", "甲", 40), section("b", "乙", 30)]
    with pytest.raises(RuntimeError, match="爆炸了"):
        render(tmp_path, sections, workers=2)
