"""Reading a rendered PDF back the way a person or a printer would: poppler's pdftotext,
pdffonts and pdftoppm, and the embedded fonts themselves (pypdf + fontTools)."""

import re
import subprocess
from io import BytesIO
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from PIL import Image
from pypdf import PdfReader


def _write(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / f"doc-{abs(hash(pdf))}.pdf"
    path.write_bytes(pdf)
    return path


def text(pdf: bytes, tmp_path: Path, page: int | None = None, layout: bool = False) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    pages += ["-layout"] if layout else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(_write(pdf, tmp_path)), "-"],
                          check=True, capture_output=True, text=True).stdout


def fonts(pdf: bytes, tmp_path: Path) -> list[dict]:
    """pdffonts' rows: name, emb, sub."""
    out = subprocess.run(["pdffonts", str(_write(pdf, tmp_path))], check=True,
                         capture_output=True, text=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        # name type... encoding emb sub uni object ID: the yes/no columns are 5th-3rd from last
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def first_page_ink(pdf: bytes, tmp_path: Path) -> float:
    """The share of page 1's pixels that are not white, at 30 dpi."""
    path = _write(pdf, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(path.with_suffix(""))], check=True)
    image = Image.open(path.with_suffix(".png")).convert("L")
    dark = sum(image.histogram()[:200])
    return dark / (image.width * image.height)


def drawn_glyphs(pdf: bytes) -> dict[str, list[tuple[str, bool]]]:
    """For each character in the text layer: (font name, whether that embedded font has a real
    glyph for it: its own cmap maps the character to the glyph drawn, which is not .notdef
    and has an outline)."""
    found: dict[str, list[tuple[str, bool]]] = {}
    reader = PdfReader(BytesIO(pdf))
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            if font.indirect_reference in seen:
                continue
            seen.add(font.indirect_reference)
            descendant = font["/DescendantFonts"][0].get_object()
            file = descendant["/FontDescriptor"].get_object()["/FontFile3"].get_object()
            embedded = TTFont(BytesIO(file.get_data()))
            order, cmap = embedded.getGlyphOrder(), embedded.getBestCmap() or {}
            glyph_set = embedded.getGlyphSet()
            for gid, char in _to_unicode(font["/ToUnicode"].get_object().get_data()):
                name = order[gid] if gid < len(order) else None
                ok = bool(name) and gid != 0 and cmap.get(ord(char)) == name
                if ok:
                    pen = BoundsPen(glyph_set)
                    glyph_set[name].draw(pen)
                    ok = pen.bounds is not None
                found.setdefault(char, []).append((str(font["/BaseFont"]), ok))
    return found


def _to_unicode(cmap: bytes):
    entries = cmap.split(b"beginbfchar", 1)[-1]
    for gid, code in re.findall(rb"<([0-9a-f]+)>\s*<([0-9a-f]+)>", entries):
        yield int(gid, 16), bytes.fromhex(code.decode()).decode("utf-16-be")


def footer_span(pdf: bytes, tmp_path: Path, page: int) -> tuple[str, float, float, float]:
    """The text in the bottom 25 mm of a page, its left and right ends and the page width, in
    points (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page),
                          str(_write(pdf, tmp_path)), "-"],
                         check=True, capture_output=True, text=True).stdout
    width, height = map(float, re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out).groups())
    found = [(m[5], float(m[1]), float(m[3]))
             for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                  r'yMax="([\d.]+)">([^<]*)</word>', out)
             if float(m[2]) > height - 71]
    return (" ".join(word for word, _left, _right in found),
            min(left for _word, left, _right in found),
            max(right for _word, _left, right in found), width)
