"""The fonts every PDF is set in: subsets of the system Noto CJK (Debian's fonts-noto-cjk)
covering the 通用规范汉字表, ASCII and the punctuation, built once under .data/fonts, with the
full system Noto behind them for every other character (rare names, 𠮷 outside the BMP).

Why subsets: WeasyPrint reads and subsets (HarfBuzz) each face a document uses; a 4 MB face
instead of a 20 MB collection member makes a one-page certificate markedly faster
(bench/pdf_renderer.py). The subsets are registered once per process in one
FontConfiguration that every render shares, so no render copies font files again.
"""

import fcntl
import hashlib
import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
CHARSET_FILE = Path(__file__).with_name("tongyong_guifan_8105.txt")

# CSS family names: the subset first, then the full system face as the fallback for any
# character the subset lacks (Pango falls through the list character by character).
SERIF = '"PB Serif", "Noto Serif CJK SC", serif'
SANS = '"PB Sans", "Noto Sans CJK SC", sans-serif'
FULL_SERIF = '"Noto Serif CJK SC", serif'
FULL_SANS = '"Noto Sans CJK SC", sans-serif'

# Besides the 8,105 characters: the symbols a form or a report uses, whole blocks so that
# nothing common falls back to the full face.
EXTRA_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1: · × ÷ ° ±
    (0x2010, 0x206F),  # general punctuation: — … ‘ ’ “ ” ‰ ※
    (0x2100, 0x218F),  # letterlike and number forms: ℃ № Ⅰ Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators: ≤ ≥ ≠ √
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑳
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: ■ □ ○ ● △
    (0x2600, 0x26FF),  # miscellaneous symbols: ★ ☆ ☐ ☑
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〈〉《》「」【】〇
    (0x3200, 0x32FF),  # enclosed CJK: ㈠ ㊣
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms: ，！？（）：；
)


@dataclass(frozen=True)
class Face:
    family: str      # the CSS family of the subset
    weight: int
    source: str      # file in SYSTEM_FONT_DIR
    index_name: str  # the collection member to take (the Simplified Chinese one)
    stem: str        # the subset's file name under fonts_dir(), before the font set id


FACES = (
    Face("PB Serif", 400, "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "pb-serif-400"),
    Face("PB Serif", 700, "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC", "pb-serif-700"),
    Face("PB Sans", 400, "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "pb-sans-400"),
    Face("PB Sans", 700, "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC", "pb-sans-700"),
)


LAYOUT_FEATURES = ["ccmp", "liga", "calt", "kern", "vkrn", "halt", "palt", "vhal", "vpal",
                   "chws", "vchw", "vert", "vrt2", "fwid", "hwid", "pwid"]


def fonts_dir() -> Path:
    """A build product of the checkout, not a deployment's data: under the project's own .data
    whatever DATA_DIR says, so a worker started with a temporary DATA_DIR (the tests' real
    worker) finds the fonts built; PDF_FONTS_DIR moves them (a read-only checkout)."""
    return Path(os.environ.get("PDF_FONTS_DIR") or Path(settings.BASE_DIR) / ".data" / "fonts")


@cache
def subset_codepoints() -> frozenset[int]:
    chars = [line.strip() for line in CHARSET_FILE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    codepoints = {ord(char) for char in chars}
    for low, high in EXTRA_RANGES:
        codepoints.update(range(low, high + 1))
    return frozenset(codepoints)


@cache
def font_set_id() -> str:
    """What the fonts are made of: the charset, the faces and the system fonts' sizes and dates.
    Part of every section's cache key, so new fonts mean new renders."""
    digest = hashlib.sha256(CHARSET_FILE.read_bytes())
    digest.update(repr((EXTRA_RANGES, LAYOUT_FEATURES)).encode())
    for face in FACES:
        source = SYSTEM_FONT_DIR / face.source
        stat = source.stat()
        digest.update(f"{face}|{stat.st_size}|{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:16]


def face_path(face: Face) -> Path:
    return fonts_dir() / f"{face.stem}-{font_set_id()}.otf"


def fonts_ensure() -> Path:
    """The subsets, built if missing (about a minute, once per machine; `make fonts` does it
    ahead of time). A lock makes concurrent first renders build them once."""
    folder = fonts_dir()
    if all(face_path(face).exists() for face in FACES):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for face in FACES:
            if not face_path(face).exists():
                _subset_build(face, face_path(face))
        current = {face_path(face) for face in FACES}
        for old in folder.glob("pb-*.otf"):  # an older font set's files
            if old not in current:
                old.unlink()
    return folder


def _subset_build(face: Face, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    # fontTools logs every glyph it keeps at INFO: thousands of lines in a build's output.
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    collection = TTCollection(str(SYSTEM_FONT_DIR / face.source), lazy=True)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == face.index_name)
    options = subset.Options()
    # The features CJK setting uses (spacing of punctuation, vertical forms, kerning of Latin);
    # not the Japanese/Traditional alternates (locl, jp78, trad, aalt...), which would double
    # the glyphs kept for a face whose defaults are already the Simplified Chinese forms.
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.hinting = False  # outlines for print: hints only weigh
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=subset_codepoints())
    subsetter.subset(font)
    partial = target.with_suffix(".part")
    font.save(str(partial))
    os.replace(partial, target)


def font_face_css() -> str:
    """The @font-face rules of the subsets (file URLs read by the fonts' own fetcher only)."""
    fonts_ensure()
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f'src: url("{face_path(face).as_uri()}"); }}'
        for face in FACES)


def fonts_build_parallel() -> None:
    """`make fonts`: the missing faces at once, where the machine has the cores."""
    from concurrent.futures import ProcessPoolExecutor

    missing = [face for face in FACES if not face_path(face).exists()]
    if len(missing) > 1:
        fonts_dir().mkdir(parents=True, exist_ok=True)
        with ProcessPoolExecutor(max_workers=min(len(missing), os.cpu_count() or 1)) as pool:
            list(pool.map(_subset_build, missing, [face_path(face) for face in missing]))
    fonts_ensure()  # whatever is still missing, and old font sets' files removed

