"""One document through pdf_render: Chinese in the text layer, only embedded subset fonts,
rare names drawn from fonts that have their glyphs, the same bytes twice."""

import pytest

from core.pdf import pdf_render

from . import pdftools

RARE_NAME = "喆堃玥珺琇垚昇𠮷"  # six outside GB2312, 昇 rare, 𠮷 outside the BMP

DOCUMENT = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/pdf/print.css"></head><body>
<h1>党建工具包手册</h1>
<p>党员姓名：{RARE_NAME}。中国共产党的基层组织，是党在社会基层组织中的战斗堡垒。</p>
<table><thead><tr><th>支部</th><th class="num">人数</th></tr></thead>
<tbody><tr><td>第一党支部</td><td class="num">12</td></tr></tbody></table>
</body></html>"""


@pytest.fixture(scope="module")
def document() -> bytes:
    return pdf_render(html=DOCUMENT)


def test_text_layer_holds_the_chinese_text(document, tmp_path):
    text = pdftools.text(document, tmp_path)
    assert "党建工具包手册" in text
    assert "中国共产党的基层组织" in text
    assert "第一党支部" in text


def test_only_embedded_subset_fonts(document, tmp_path):
    rows = pdftools.fonts(document, tmp_path)
    assert rows
    assert all(row["emb"] == "yes" and row["sub"] == "yes" for row in rows), rows
    names = {row["name"].split("+", 1)[1] for row in rows}
    # headings and table heads in the sans subset, the text in the serif subset
    assert {"PB-Sans-Bold", "PB-Serif"} <= names, names


def test_rare_name_is_in_the_text_layer_and_every_glyph_is_real(document, tmp_path):
    assert RARE_NAME in pdftools.text(document, tmp_path)
    drawn = pdftools.drawn_glyphs(document)
    for char in RARE_NAME:
        assert char in drawn, f"{char} not drawn"
        assert all(ok for _font, ok in drawn[char]), (char, drawn[char])
    # the subset covers the 通用规范汉字表's 喆 堃 玥 珺 琇 垚 昇; 𠮷 comes from the full Noto
    assert all("PB-Serif" in font for font, _ok in drawn["喆"])
    assert any("Noto-Serif-CJK-SC" in font for font, _ok in drawn["𠮷"])


def test_same_html_gives_the_same_bytes(document):
    assert pdf_render(html=DOCUMENT) == document


def test_first_page_is_not_blank(document, tmp_path):
    assert pdftools.first_page_ink(document, tmp_path) > 0.002


def test_the_glyph_check_sees_tofu():
    # Private-use characters no font has: drawn as .notdef, and the check must say so.
    drawn = pdftools.drawn_glyphs(pdf_render(html='<p lang="zh-CN">甲\ue000乙</p>'))
    assert drawn["甲"] and all(ok for _font, ok in drawn["甲"])
    assert not any(ok for _font, ok in drawn["\ue000"])


CLOSING = "，。、；：？！）》」』”’"
OPENING = "（《「『“‘"


def test_lines_never_start_with_closing_or_end_with_opening_punctuation(tmp_path):
    # A narrow column forces a break near every punctuation mark of the text.
    text = "".join(f"第{n}条（试行）规定：“三会一课”《制度》，按月落实、考核；是否完成？完成！"
                   for n in range(12))
    for width in (31, 37, 43):
        html = (f'<html lang="zh-CN"><body><p style="width: {width}mm; text-align: left">'
                f"{text}</p></body></html>")
        lines = [line.strip() for line in pdftools.text(pdf_render(html=html), tmp_path)
                 .splitlines() if line.strip()][:-1]  # the last line is the page number
        assert len(lines) > 20
        assert not [line for line in lines if line[0] in CLOSING], lines
        assert not [line for line in lines if line[-1] in OPENING], lines
