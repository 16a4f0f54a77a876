"""Page numbers stamped on a merged PDF without laying out a page.

WeasyPrint renders one sample line of the footer's characters ("0123456789/") once; its font
(an embedded subset with a ToUnicode map, like every other font of the document) is copied into
the merged PDF, and each page gets a few bytes of text drawn with it: "n / N", centred at the
foot of the page whatever its width. Laying out N footer pages instead cost ~8 ms a page.

Each page's own content is wrapped in q … Q first, so whatever graphics state it leaves behind
cannot move or recolour the number; no content stream is parsed or rewritten.
"""

import re
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

FOOTER_CHARS = "0123456789/"
SIZE = 9.0          # pt, as print.css's @bottom-center
GRAY = 0.333        # #555
BASELINE = 26.0     # pt above the page's bottom edge: in the 20 mm bottom margin
GAP = 0.3           # em between the numbers and the slash
FONT_NAME = NameObject("/PdfFooterFont")

# The sample the font is taken from: the same family, weight and size as the footer.
SAMPLE_HTML = (
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
    '@page { size: A4; margin: 20mm; @bottom-center { content: none !important; } }'
    'p { font-family: "PB Sans", "Noto Sans CJK SC", sans-serif; font-size: 9pt; '
    'font-weight: 400; }'
    f"</style></head><body><p>{FOOTER_CHARS}</p></body></html>")


@dataclass(frozen=True)
class FooterFont:
    ref: object                 # the font's indirect reference in the sample
    gids: dict[str, int]        # character -> glyph id (= CID, Identity-H)
    widths: dict[int, float]    # glyph id -> advance, in 1/1000 em
    default_width: float


def footer_font(sample: PdfReader) -> FooterFont:
    fonts = sample.pages[0]["/Resources"]["/Font"]
    (name,) = list(fonts.keys())  # the sample uses one font
    font = fonts[name].get_object()
    gids = {}
    cmap = font["/ToUnicode"].get_object().get_data()
    for gid, code in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>",
                                cmap.split(b"beginbfchar", 1)[-1]):
        gids[bytes.fromhex(code.decode()).decode("utf-16-be")] = int(gid, 16)
    missing = set(FOOTER_CHARS) - set(gids)
    if missing:
        raise RuntimeError(f"footer font lacks {missing}")
    cid_font = font["/DescendantFonts"][0].get_object()
    return FooterFont(ref=fonts.raw_get(name), gids=gids, widths=_widths(cid_font),
                      default_width=float(cid_font.get("/DW", 1000)))


def _widths(cid_font) -> dict[int, float]:
    """The /W array: `c [w1 w2 …]` or `c_first c_last w`."""
    entries = list(cid_font.get("/W", []))
    widths: dict[int, float] = {}
    i = 0
    while i < len(entries):
        first = int(entries[i])
        if isinstance(entries[i + 1], list | ArrayObject):
            for offset, width in enumerate(entries[i + 1]):
                widths[first + offset] = float(width)
            i += 2
        else:
            for cid in range(first, int(entries[i + 1]) + 1):
                widths[cid] = float(entries[i + 2])
            i += 3
    return widths


def page_numbers_stamp(writer: PdfWriter, sample: PdfReader, *, skip_first: int = 1) -> None:
    """"n / N" at the foot of every page of writer but the first skip_first (the cover)."""
    font = footer_font(sample)
    font_ref = font.ref.clone(writer)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        if number <= skip_first:
            continue
        _font_resource(page, font_ref)
        text, width = _line(font, f"{number}", f"{total}")
        box = page.mediabox
        x = float(box.left) + (float(box.width) - width) / 2
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(f"\nQ q {GRAY} g BT {FONT_NAME} {SIZE:g} Tf {x:.2f} "
                       f"{float(box.bottom) + BASELINE:.2f} Td {text} TJ ET Q\n".encode())
        existing = page.get("/Contents")
        existing = existing.get_object() if existing is not None else ArrayObject()
        streams = (list(existing) if isinstance(existing, ArrayObject)
                   else [page.raw_get("/Contents")])
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *streams, writer._add_object(after)])


def _line(font: FooterFont, number: str, total: str) -> tuple[str, float]:
    """The TJ array for "number / total" and its width in points."""
    gap = -GAP * 1000  # TJ: a positive number moves left, so a gap is negative
    parts, advance = [], 0.0
    for index, piece in enumerate((number, "/", total)):
        if index:
            parts.append(f"{gap:g}")
            advance -= gap
        parts.append("<" + "".join(f"{font.gids[c]:04x}" for c in piece) + ">")
        advance += sum(font.widths.get(font.gids[c], font.default_width) for c in piece)
    return "[" + " ".join(parts) + "]", advance * SIZE / 1000


def _font_resource(page, font_ref) -> None:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else DictionaryObject()
    page[NameObject("/Resources")] = resources
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else DictionaryObject()
    resources[NameObject("/Font")] = fonts
    fonts[FONT_NAME] = font_ref
