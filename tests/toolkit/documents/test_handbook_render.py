"""The handbook rendered from a company's live data: every section, reproducible, re-rendered
in part after a change, and a failure that says why and can be retried."""

import re

from django.db import connection
from django_tenants.utils import schema_context

from tests.core.pdf import pdftools
from tests.toolkit.documents.conftest import pdf_text
from toolkit.documents import services
from toolkit.documents.models import Edition, HandbookRender, RenderStatus
from toolkit.org.models import Position


def _render(edition=Edition.FULL, **kwargs) -> HandbookRender:
    render = services.handbook_request(edition=edition, **kwargs)
    return services.handbook_render(render_id=render.pk)


def test_the_handbook_shows_the_chinese_text_of_every_section(org_a, tmp_path):
    with schema_context("alpha"):
        org_a.members[3].user.full_name = "林喆𠮷"
        org_a.members[3].user.save()
        render = _render(batch_name="2026年春季批", issuer="星城党建孵化器")
        assert render.status == RenderStatus.DONE, render.error
        text = pdf_text(render.file.read(), tmp_path)
    for expected in ["党建工具包手册", "甲公司", "alpha党委", "2026年春季批",
                     "星城党建孵化器", "目录", "组织架构图", "党组织与书记", "党员名册",
                     "第1党支部", "第2党支部", "林喆𠮷", "积分规则", "参加组织生活", "月度终评",
                     "积分商城", "党费交纳标准", "组织生活制度", "组织生活日历", "本月应完成",
                     "常用表单", "会议记录表", "组织生活签到表", "请假条", "党费收据",
                     "擂台任务佐证材料表", "会议室二维码", "扫码查看本支部的会议",
                     "学习培训", "每名党员每年应完成 32 学时", "孵化器下发的课程"]:
        assert expected in text, expected
    # Mobile numbers are masked by default.
    mobile = org_a.members[3].user.mobile
    assert mobile not in text and f"{mobile[:3]}****{mobile[-4:]}" in text


def test_rare_names_in_the_handbook_have_every_glyph_drawn(org_a, tmp_path):
    # 喆 琇 垚 outside GB2312 (in the subset fonts), 𠮷 outside the BMP (the full Noto): in the
    # merged handbook each is drawn from a font with its real glyph, never .notdef (tofu).
    names = {3: "林喆𠮷", 5: "琇垚"}
    with schema_context("alpha"):
        for index, name in names.items():
            org_a.members[index].user.full_name = name
            org_a.members[index].user.save()
        render = _render()
        assert render.status == RenderStatus.DONE, render.error
        data = render.file.read()
    text = pdf_text(data, tmp_path)
    drawn = pdftools.drawn_glyphs(data)
    for name in names.values():
        assert name in text, name
        for char in name:
            assert drawn.get(char), f"{char} not drawn"
            assert all(real for _font, real in drawn[char]), (char, drawn[char])


def test_the_members_edition_has_rules_calendar_and_forms_but_no_roll(org_a, tmp_path):
    with schema_context("alpha"):
        render = _render(edition=Edition.MEMBER)
        text = pdf_text(render.file.read(), tmp_path)
    assert "积分规则" in text and "组织生活日历" in text and "会议记录表" in text
    assert "学习培训" in text
    assert "党员名册" not in text and "组织架构图" not in text
    assert org_a.members[3].user.full_name not in text


def test_rendering_unchanged_data_twice_gives_one_hash(org_a):
    with schema_context("alpha"):
        first = _render()
        second = _render()
    assert first.pk != second.pk
    assert first.content_sha256 == second.content_sha256
    assert first.data_timestamp == second.data_timestamp


def test_a_member_moving_branch_re_renders_only_what_shows_them(org_a):
    with schema_context("alpha"):
        first = _render()
        assert first.sections_rendered > 10
        mover = org_a.members[4]
        mover.unit = org_a.branches[1] if mover.unit == org_a.branches[0] else org_a.branches[0]
        mover.save()
        second = _render()
    assert second.content_sha256 != first.content_sha256
    assert second.data_timestamp > first.data_timestamp
    # The chart, the units, the roll summary and the two branches' rolls: not the rules,
    # calendars, forms or posters.
    assert second.sections_rendered <= 5


def test_contents_page_numbers_match_where_the_headings_are(org_a, tmp_path):
    with schema_context("alpha"):
        render = _render()
        data = render.file.read()
    contents = pdf_text(data, tmp_path, first=2, last=2)
    entries = re.findall(r"^\s*(\S.*?)[\s.·…]+(\d+)\s*$", contents, flags=re.M)
    assert len(entries) >= 10
    for title, page in entries:
        # "第1党支部 · 会议室二维码": the poster's heading is the branch.
        title = title.strip(" .·…•").split(" · ")[0]
        if not re.search(r"[\u4e00-\u9fff]", title) or title == "目录":
            continue  # the footer's "2 / 21", not an entry
        on_page = pdf_text(data, tmp_path, first=int(page), last=int(page))
        assert title in on_page.replace("\n", ""), (title, page)


def test_a_failing_render_shows_the_error_and_can_be_retried(org_a, monkeypatch):
    def broken(**kwargs):
        raise OSError("字体文件无法读取")

    with schema_context("alpha"):
        monkeypatch.setattr(services, "sections_render", broken)
        render = _render()
        assert render.status == RenderStatus.FAILED
        assert "字体文件无法读取" in render.error
        monkeypatch.undo()
        services.handbook_retry(render=render)
        again = services.handbook_render(render_id=render.pk)
    assert again.status == RenderStatus.DONE and again.error == ""
    assert again.pages > 5


def test_sections_are_cached_per_company_schema(org_a, org_b):
    with schema_context("alpha"):
        alpha = services.section_cache_dir()
        _render()
    with schema_context("beta"):
        beta = services.section_cache_dir()
    assert alpha.name == "alpha" and beta.name == "beta" and alpha.parent == beta.parent
    connection.set_schema_to_public()


def test_the_secretarys_position_is_in_the_roll(org_a, tmp_path):
    with schema_context("alpha"):
        assert org_a.members[0].position == Position.SECRETARY
        text = pdf_text(_render().file.read(), tmp_path)
    assert "书记" in text


def test_page_one_is_not_blank_and_every_font_is_an_embedded_subset(org_a, tmp_path):
    import subprocess

    from PIL import Image

    with schema_context("alpha"):
        data = _render().file.read()
    path = tmp_path / "handbook.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    inked = sum(image.histogram()[:200])  # pixels darker than light grey
    assert inked > image.width * image.height * 0.05  # the cover's band and title
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, embedded, subset = line.split()[0], line.split()[-5], line.split()[-4]
        assert re.match(r"^[A-Z]{6}\+", name) and embedded == "yes" and subset == "yes", line
