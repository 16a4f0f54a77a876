"""One font program per face in a merged handbook, not one per section.

WeasyPrint subsets every face a document uses when it writes it (HarfBuzz, glyph ids kept). A
handbook written as 37 section files carried ~115 subsets of the same four faces: ~0.5 s of
CPU spent subsetting and compressing them, and a 5 MB file where the single document was
0.6 MB. While sections are written for a merge (`deferred`), the project's own faces (the
PB subsets of fonts.py: nearly every glyph) are not subset: their font program is written
as a placeholder naming the face and the glyph ids the section uses. The merge
(`shared_fonts_embed`) subsets each face once for the union of those glyphs and points
every section's font descriptor at it. Glyph ids are kept by the subset (as WeasyPrint's
own are), so every section's content streams, widths and ToUnicode maps stay as written.
Any other face (the full system Noto behind a rare name) is subset per section as before.

The placeholder starts like an OpenType file (b"OTTO"), so WeasyPrint describes it exactly
as it would the real subset (CIDFontType0, FontFile3 /OpenType); a section file is a cache
entry, never a document anyone opens. It does not depend on the other sections of its
group, so a section's bytes stay the same whoever it was laid out with.
"""

import threading
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace

from cffi import FFI
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from weasyprint.pdf.fonts import Font
from weasyprint.text import ffi as weasyprint_ffi

from core.pdf import fonts

MAGIC = b"OTTO\x00pdf-shared-face\x00"

_state = threading.local()
_weasyprint_clean = Font.clean


def _clean(self: Font, to_unicode, hinting) -> None:
    """Font.clean, but a placeholder for one of the project's faces while deferring."""
    name = (_shared_face(self) if getattr(_state, "deferring", False) and to_unicode
            and not self.missing else None)
    if name is None:
        _weasyprint_clean(self, to_unicode, hinting)
        return
    gids = " ".join(str(gid) for gid in sorted(to_unicode))
    self.file_content = MAGIC + name.encode() + b"\x00" + gids.encode()


Font.clean = _clean  # acts only inside `deferred` (a thread's flag); WeasyPrint is pinned


@contextmanager
def deferred():
    """Documents written inside leave the project's faces to the merge (forked renderers
    inherit the flag)."""
    before = getattr(_state, "deferring", False)
    _state.deferring = True
    try:
        yield
    finally:
        _state.deferring = before


@cache
def _faces() -> dict[int, tuple[tuple[bytes, str], ...]]:
    """The project's faces by size: (their bytes, their file name)."""
    by_size: dict[int, list[tuple[bytes, str]]] = {}
    for face in fonts.FACES:
        data = fonts.face_path(face).read_bytes()
        by_size.setdefault(len(data), []).append((data, fonts.face_path(face).name))
    return {size: tuple(faces) for size, faces in by_size.items()}


def faces_load() -> None:
    """Read before forking, so the renderers share them."""
    _faces()


def _shared_face(font: Font) -> str | None:
    if font.index != 0:
        return None
    for data, name in _faces().get(len(font.file_content), ()):
        if data == font.file_content:
            return name
    return None


def shared_fonts_embed(writer: PdfWriter) -> None:
    """Each placeholder's face subset once, for the glyphs of every section that uses it."""
    glyphs: dict[str, set[int]] = {}
    holders = []
    for obj in list(writer._objects):
        if not (isinstance(obj, DictionaryObject) and obj.get("/Type") == "/FontDescriptor"
                and "/FontFile3" in obj):
            continue
        stream = obj["/FontFile3"].get_object()
        data = stream.get_data()
        if not data.startswith(MAGIC):
            continue
        name, _zero, gids = data[len(MAGIC):].partition(b"\x00")
        glyphs.setdefault(name.decode(), set()).update(int(gid) for gid in gids.split())
        holders.append((obj, name.decode(), stream))
    programs = {}
    for name in sorted(glyphs):
        program = DecodedStreamObject()
        program.set_data(_subset(name, glyphs[name]))
        program[NameObject("/Subtype")] = NameObject("/OpenType")
        programs[name] = writer._add_object(program.flate_encode())
    for descriptor, name, placeholder in holders:
        descriptor[NameObject("/FontFile3")] = programs[name]
        placeholder.set_data(b"")  # no longer referenced: written empty


_ffi = FFI()
_ffi.include(weasyprint_ffi.ffi)
_ffi.cdef("hb_blob_t * hb_blob_create_from_file (const char *file_name);"
          "hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);")


@cache
def _harfbuzz():
    return weasyprint_ffi._dlopen(_ffi, "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0",
                                  "libharfbuzz.so.0", "libharfbuzz.0.dylib")


def _subset(name: str, gids: set[int]) -> bytes:
    """The face subset as WeasyPrint subsets it when it writes a document (its own code)."""
    known = {fonts.face_path(face).name: fonts.face_path(face) for face in fonts.FACES}
    if name not in known:
        raise RuntimeError(f"a section names a face this process does not have: {name}")
    harfbuzz = _harfbuzz()
    blob = harfbuzz.hb_blob_create_from_file(str(known[name]).encode())
    face = _ffi.gc(harfbuzz.hb_face_create(blob, 0), weasyprint_ffi.harfbuzz.hb_face_destroy)
    weasyprint_ffi.harfbuzz.hb_blob_destroy(blob)
    font = SimpleNamespace(hb_face=face, missing={}, family=name, file_content=b"")
    Font._harfbuzz_subset(font, dict.fromkeys(sorted(gids), ""), False)
    if not font.file_content.startswith(b"OTTO"):
        raise RuntimeError(f"HarfBuzz could not subset {name}")
    return font.file_content
