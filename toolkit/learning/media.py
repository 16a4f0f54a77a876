"""Serving the shared catalogue's files to a company's members, with Range requests: a video
seeks by asking for bytes from the middle (206 Partial Content), which Django's FileResponse
does not answer. Behind nginx in production, LEARNING_MEDIA_ACCEL_PREFIX hands the bytes to the
proxy (X-Accel-Redirect, an internal location over SHARED_MEDIA_ROOT) after the check here."""

import re

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _file_chunks(handle, start: int, length: int):
    try:
        handle.seek(start)
        while length > 0:
            block = handle.read(min(CHUNK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        handle.close()


def byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single `bytes=` range; None when there is no usable header
    (answer the whole file); False when it cannot be satisfied (416)."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        # Several ranges, or another unit: serving the whole file is a valid answer.
        return None if header.strip().startswith("bytes=") and "," in header else False
    first, last = match.groups()
    if not first and not last:
        return False
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0:
            return False
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return False
    return start, end


def ranged_file_response(request, *, storage, name: str, content_type: str,
                         filename: str = "") -> HttpResponse:
    size = storage.size(name)
    prefix = getattr(settings, "LEARNING_MEDIA_ACCEL_PREFIX", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + name
    else:
        wanted = byte_range(request.headers.get("Range", ""), size)
        if wanted is False:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
        elif wanted is None:
            response = FileResponse(storage.open(name, "rb"), content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            start, end = wanted
            response = StreamingHttpResponse(
                _file_chunks(storage.open(name, "rb"), start, end - start + 1),
                status=206, content_type=content_type)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
            response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    # Members' own browsers may keep it; no shared cache may (access is checked per company).
    response["Cache-Control"] = "private, max-age=3600"
    if filename:
        response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
