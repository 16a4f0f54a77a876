"""Merging rendered parts into one PDF with pypdf: contents with known page numbers, the parts
in order, one bookmark per section and a page number stamped in every footer but the cover's.

The footer is stamped as a Form XObject drawn after each page's own content (wrapped in q/Q),
so no page's content stream is parsed or rewritten: stamping costs the same for any page.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

# Contents entries are laid out with this number first, to learn how many pages the contents
# take; the real numbers are never wider (tabular figures, at most three digits here).
PLACEHOLDER = "888"
A4_WIDTH = 595.2756  # the footer pages' width, in points


@dataclass(frozen=True)
class Merged:
    pdf: bytes
    pages: int
    section_pages: dict[str, int]


def pdf_merge(*, cover: bytes, sections: Sequence, bodies: Sequence[bytes],
              contents: Callable[[dict[str, str]], tuple[bytes, int]], contents_title: str,
              footer: Callable[[int], bytes]) -> Merged:
    cover_reader = PdfReader(BytesIO(cover))
    readers = [PdfReader(BytesIO(body)) for body in bodies]
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

    _stamp(writer, PdfReader(BytesIO(footer(total))))
    out = BytesIO()
    writer.write(out)
    return Merged(pdf=out.getvalue(), pages=total, section_pages=starts)


def _stamp(writer: PdfWriter, footers: PdfReader) -> None:
    for number, (page, footer_page) in enumerate(zip(writer.pages, footers.pages, strict=True)):
        # A name per page: WeasyPrint shares one /Resources dictionary between a part's pages.
        name = NameObject(f"/PdfPageNumber{number + 1}")
        form = DecodedStreamObject()
        form.set_data(footer_page.get_contents().get_data())
        form.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in footer_page.mediabox),
            NameObject("/Resources"): footer_page["/Resources"].clone(writer),
        })
        form_ref = writer._add_object(form)

        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        page[NameObject("/Resources")] = resources
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
        xobjects[name] = form_ref

        # Centred under any page width (a landscape form page too).
        shift = (float(page.mediabox.width) - A4_WIDTH) / 2 + float(page.mediabox.left)
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(f"\nQ q 1 0 0 1 {shift:.2f} {float(page.mediabox.bottom):.2f} cm "
                       f"{name} Do Q\n".encode())
        existing = page.get("/Contents")
        existing = existing.get_object() if existing is not None else ArrayObject()
        streams = (list(existing) if isinstance(existing, ArrayObject)
                   else [page.raw_get("/Contents")])
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *streams, writer._add_object(after)])
