"""Merging rendered parts into one PDF with pypdf: contents with known page numbers, the parts
in order, one bookmark per section and a page number stamped in every footer but the cover's
(stamp.py)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter

from core.pdf.shared_fonts import shared_fonts_embed
from core.pdf.stamp import page_numbers_stamp

# Contents entries are laid out with this number first, to learn how many pages the contents
# take; the real numbers are never wider (tabular figures, at most three digits here).
PLACEHOLDER = "888"


@dataclass(frozen=True)
class Merged:
    pdf: bytes
    pages: int
    section_pages: dict[str, int]


def pdf_merge(*, cover: bytes, sections: Sequence, bodies: Sequence[PdfReader],
              contents: Callable[[dict[str, str]], tuple[bytes, int]], contents_title: str,
              footer_sample: bytes) -> Merged:
    cover_reader = PdfReader(BytesIO(cover))
    readers = list(bodies)
    counts = [len(reader.pages) for reader in readers]

    contents_pdf, contents_pages = contents({s.key: PLACEHOLDER for s in sections})
    for _attempt in range(3):  # settles at once unless real numbers wrap a line differently
        first = len(cover_reader.pages) + contents_pages + 1
        starts = {}
        for section, count in zip(sections, counts, strict=True):
            starts[section.key] = first
            first += count
        contents_pdf, laid_out = contents({key: str(n) for key, n in starts.items()})
        if laid_out == contents_pages:
            break
        contents_pages = laid_out

    writer = PdfWriter()
    writer.append(cover_reader, import_outline=False)
    writer.append(PdfReader(BytesIO(contents_pdf)), import_outline=False)
    for reader in readers:
        writer.append(reader, import_outline=False)
    total = len(writer.pages)

    contents_at = len(cover_reader.pages)
    writer.add_outline_item(title=contents_title, page_number=contents_at)
    parents: list[tuple[int, object]] = []  # (level, item): the open chain of bookmarks
    for section in sections:
        while parents and parents[-1][0] >= section.level:
            parents.pop()
        item = writer.add_outline_item(title=section.title, page_number=starts[section.key] - 1,
                                       parent=parents[-1][1] if parents else None)
        parents.append((section.level, item))

    page_numbers_stamp(writer, PdfReader(BytesIO(footer_sample)),
                       skip_first=len(cover_reader.pages))
    shared_fonts_embed(writer)  # after the stamp: its font is one of the faces
    out = BytesIO()
    writer.write(out)
    return Merged(pdf=out.getvalue(), pages=total, section_pages=starts)
