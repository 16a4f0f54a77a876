"""The one url_fetcher a PDF is rendered with. A document is often built from user content
(names, notes, uploaded pictures), so it may reach only:

- `data:` URIs;
- the project's static files (staticfiles finders, then STATIC_ROOT), by their URL under
  STATIC_URL on the document's own origin;
- files of the media storage it was given (a company's default storage, in its schema), by
  their URL under that storage's base URL, and only when the name resolves inside the storage.

Everything else is refused with PdfRefused: file://, every network address (http, https, ftp,
any host, port or IP literal; a same-origin URL that is neither static nor media is refused too,
never fetched), traversal (`..`, percent-encoded or not), absolute names, and other companies'
files. WeasyPrint turns a refused fetch into a missing image and a logged warning; the
fetcher keeps the refused URLs in `refused` for whoever wants to show them.
"""

import logging
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.errors import Refused

log = logging.getLogger(__name__)

# The origin of a document rendered without a base URL: relative URLs ("/static/…") resolve
# against it. `.invalid` is reserved (RFC 2606): it can never be a real host.
INTERNAL_BASE_URL = "https://pdf.invalid/"


class PdfRefused(Refused):
    code = "pdf_fetch_refused"


@dataclass(frozen=True)
class FetchScope:
    """What a document may reach, fixed when the render starts (in the company's schema):
    plain data, so a forked section renderer sees the same scope as its parent."""

    base_url: str                    # what relative URLs resolve against
    origin: str                      # scheme://host[:port] of base_url
    static_url: str                  # "/static/"
    media_url: str | None = None     # the storage's base URL, e.g. "/media/alpha/"
    media_location: str | None = None  # its folder, for a filesystem storage
    storage: object = None           # the storage itself, for any other kind


def fetch_scope(*, base_url: str | None, media_storage=None) -> FetchScope:
    base_url = base_url or INTERNAL_BASE_URL
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    media_url = media_location = None
    if media_storage is not None:
        media_url = urlsplit(media_storage.base_url or settings.MEDIA_URL).path
        media_url = media_url if media_url.endswith("/") else media_url + "/"
        location = getattr(media_storage, "location", None)
        media_location = os.path.realpath(location) if location else None
    return FetchScope(base_url=base_url, origin=origin,
                      static_url=urlsplit(settings.STATIC_URL).path, media_url=media_url,
                      media_location=media_location, storage=media_storage)


class SafeFetcher(URLFetcher):
    """WeasyPrint's fetcher interface (a URLFetcher whose `fetch` is replaced): nothing here
    opens a socket."""

    def __init__(self, scope: FetchScope, *, applied: frozenset[str] = frozenset()):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.scope = scope
        # Static stylesheets the renderer applies to every document already (print.css): a
        # document's own link to one is served empty rather than parsed a second time.
        self.applied = applied
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)  # urllib's data: handler, no I/O
        parts = urlsplit(url)
        origin = f"{scheme}://{parts.netloc}".lower()
        if scheme in ("http", "https") and origin == self.scope.origin:
            path = parts.path
            if path.startswith(self.scope.static_url):
                return self._static(url, path[len(self.scope.static_url):])
            if self.scope.media_url and path.startswith(self.scope.media_url):
                return self._media(url, path[len(self.scope.media_url):])
        return self._refuse(url)

    def _refuse(self, url: str):
        self.refused.append(url)
        log.warning("pdf fetch refused: %s", url[:200])
        raise PdfRefused(_("文档引用了不允许的地址。"))

    def _static(self, url: str, quoted_name: str):
        name = _safe_name(quoted_name)
        if name is None:
            return self._refuse(url)
        if name in self.applied:
            return URLFetcherResponse(url, b"", {"Content-Type": "text/css"})
        found = finders.find(name)
        if not found and settings.STATIC_ROOT:
            found = _inside(Path(settings.STATIC_ROOT).resolve(), name)
        if not found or not os.path.isfile(found):
            return self._refuse(url)
        return URLFetcherResponse(url, Path(found).read_bytes(), _type_header(name))

    def _media(self, url: str, quoted_name: str):
        name = _safe_name(quoted_name)
        if name is None:
            return self._refuse(url)
        if self.scope.media_location:
            path = _inside(Path(self.scope.media_location), name)
            if path is None or not os.path.isfile(path):
                return self._refuse(url)
            body = Path(path).read_bytes()
        else:
            with self.scope.storage.open(name, "rb") as handle:
                body = handle.read()
        return URLFetcherResponse(url, BytesIO(body), _type_header(name))


def _safe_name(quoted: str) -> str | None:
    """A relative name with no way out: decoded (twice-encoded dots stay literal), no `..`
    segment, no absolute path, no backslash or NUL."""
    name = unquote(quoted)
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    if any(part in ("..", ".") for part in name.split("/")):
        return None
    return name


def _inside(root: Path, name: str) -> str | None:
    """The file's real path when it lies inside root (symlinks followed), else None."""
    real = os.path.realpath(root / name)
    root_real = os.path.realpath(root)
    return real if real.startswith(root_real + os.sep) else None


def _type_header(name: str) -> dict:
    import mimetypes

    kind = mimetypes.guess_type(name)[0]
    return {"Content-Type": kind} if kind else {}


def pdf_fetcher_for(*, media_storage=None, base_url: str | None = None) -> SafeFetcher:
    """The url_fetcher for a document that may embed the static files and, when given, the
    files of media_storage (e.g. the default storage while in a company's schema)."""
    return SafeFetcher(fetch_scope(base_url=base_url, media_storage=media_storage))
