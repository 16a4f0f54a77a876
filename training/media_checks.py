"""Catalogue uploads judged by what they are, not by what they are called: the type from the
file's first bytes (filetype), the size before anything is read, the length of video and audio
from ffprobe (Debian ffmpeg), the pages of a PDF. A text file renamed .mp4 is refused, and so is
a file whose bytes say video but that ffprobe cannot play. (toolkit.uploads does the same for a
company's uploads; training sits below toolkit and may not import it.)"""

import json
import re
import subprocess
import tempfile
import zlib
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from core.errors import Refused

MB = 1024 * 1024
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
VIDEO_TYPES = {"video/mp4", "video/webm", "video/quicktime", "video/x-m4v"}
AUDIO_TYPES = {"audio/mpeg", "audio/mp4", "audio/x-m4a", "audio/ogg", "audio/aac",
               "audio/x-wav", "audio/x-flac"}
PDF_TYPES = {"application/pdf"}
# kind -> (allowed types, the most bytes, the stream ffprobe must find or "")
LIMITS = {
    "video": (VIDEO_TYPES, 500 * MB, "video"),
    "audio": (AUDIO_TYPES, 100 * MB, "audio"),
    "document": (PDF_TYPES, 50 * MB, ""),
}
COVER_MAX_BYTES = 5 * MB
FFPROBE_SECONDS = 30


class MediaRefused(Refused):
    """An upload of the wrong type or size, or one that cannot be played or read."""


@dataclass
class MediaInfo:
    mime: str
    size: int
    duration_seconds: int | None = None
    page_count: int | None = None


def image_checked(upload) -> str:
    """A course cover: JPEG, PNG or WebP by content, at most 5 MB. Returns its type."""
    _size_checked(upload, COVER_MAX_BYTES)
    mime = _sniffed(upload)
    if mime not in IMAGE_TYPES:
        raise MediaRefused(_("“%(name)s”不是图片（JPEG、PNG 或 WebP）。") % {"name": upload.name},
                           code="cover_not_an_image")
    return mime


def media_checked(upload, *, kind: str) -> MediaInfo:
    """A lesson's file for `kind` (video, audio, document); MediaRefused when it is not one."""
    allowed, max_bytes, stream = LIMITS[kind]
    _size_checked(upload, max_bytes)
    mime = _sniffed(upload)
    if mime not in allowed:
        raise MediaRefused(_("“%(name)s”的内容不是%(kind)s文件（按文件内容判断，与扩展名无关）。")
                           % {"name": upload.name, "kind": _kind_word(kind)},
                           code="media_type_not_allowed")
    info = MediaInfo(mime=mime, size=upload.size)
    if stream:
        info.duration_seconds = _duration(upload, stream)
    else:
        info.page_count = pdf_page_count(_read_all(upload))
        if info.page_count < 1:
            raise MediaRefused(_("“%(name)s”无法读取页数，可能已损坏。") % {"name": upload.name},
                               code="pdf_unreadable")
    return info


def _kind_word(kind: str) -> str:
    return {"video": _("视频"), "audio": _("音频"), "document": "PDF "}[kind]


def _size_checked(upload, max_bytes: int) -> None:
    if not upload.size:
        raise MediaRefused(_("“%(name)s”是空文件。") % {"name": upload.name}, code="media_empty")
    if upload.size > max_bytes:
        raise MediaRefused(_("“%(name)s”超过 %(mb)s MB。") % {
            "name": upload.name, "mb": max_bytes // MB}, code="media_too_large")


def _sniffed(upload) -> str:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _duration(upload, stream: str) -> int:
    """Whole seconds (rounded up: a 2.4 s clip needs 3 s of watching to be seen whole), from
    ffprobe on the file itself. Uploads kept in memory are written to a temporary file first."""
    path = getattr(upload, "temporary_file_path", lambda: "")()
    with tempfile.NamedTemporaryFile(suffix=".media") as copy:
        if not path:
            upload.seek(0)
            for chunk in upload.chunks():
                copy.write(chunk)
            copy.flush()
            upload.seek(0)
            path = copy.name
        probed = probe(path)
    streams = {s.get("codec_type") for s in probed.get("streams", [])}
    try:
        seconds = float(probed.get("format", {}).get("duration", "0"))
    except ValueError:
        seconds = 0
    if stream not in streams or seconds <= 0:
        raise MediaRefused(_("“%(name)s”无法播放或读不出时长，可能已损坏。")
                           % {"name": upload.name},
                           code="media_unplayable")
    return int(-(-seconds // 1))


def probe(path: str) -> dict:
    """ffprobe's view of a file ({} when it cannot read it)."""
    try:
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type",
             "-of", "json", path], capture_output=True, timeout=FFPROBE_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    try:
        return json.loads(done.stdout or b"{}")
    except ValueError:
        return {}


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_page_count(data: bytes) -> int:
    """Page objects in the file, including those packed in compressed object streams (PDF 1.5+).
    Without a PDF library in the project, this reads the one thing a page count needs."""
    if not data.startswith(b"%PDF-"):
        return 0
    count = len(_PAGE.findall(data))
    for match in _STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), 64 * MB)
        except zlib.error:
            continue
        if b"/Type" in inflated:
            count += len(_PAGE.findall(inflated))
    return count
