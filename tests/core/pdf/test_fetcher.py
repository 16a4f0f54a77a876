"""The fetcher serves static files, data: URIs and the company's own media, and refuses
file://, every network address, traversal and other companies' files, also when a rendered
document's user content names them."""

import base64
import io
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
import segno
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context
from pypdf import PdfReader

from core.pdf import PdfRefused, pdf_fetcher_for, pdf_render

BASE = "https://pdf.invalid"


def png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text).save(out, kind="png", scale=2)
    return out.getvalue()


@pytest.fixture(scope="module")
def server():
    """A web server on loopback that counts the requests it gets: none may arrive."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = png("network")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def media(company_a, company_b, tmp_path):
    """A picture in each company's media; A's storage, in A's schema, during the test."""
    with schema_context(company_b.schema_name):
        theirs = default_storage.save("uploads/secret.png", ContentFile(png("beta")))
        theirs_path = default_storage.path(theirs)
    with schema_context(company_a.schema_name):
        ours = default_storage.save("uploads/ours.png", ContentFile(png("alpha")))
        # a link inside A's media that points at B's file
        link = f"link-{uuid.uuid4().hex}.png"
        os.symlink(theirs_path, os.path.join(default_storage.location, "uploads", link))
        outside = tmp_path / "outside.png"
        outside.write_bytes(png("outside"))
        yield {"storage": default_storage, "ours": default_storage.url(ours),
               "ours_path": default_storage.path(ours), "theirs_path": theirs_path,
               "b_schema": company_b.schema_name, "a_schema": company_a.schema_name,
               "outside": str(outside), "link": link}


def refused_urls(media, port):
    a, b = media["a_schema"], media["b_schema"]
    return [
        "file://" + media["outside"],
        "file://" + media["ours_path"],                       # even one's own file, by path
        "file:///etc/passwd",
        f"http://127.0.0.1:{port}/x.png",
        f"http://localhost:{port}/x.png",
        f"http://[::1]:{port}/x.png",
        f"http://2130706433:{port}/x.png",                    # 127.0.0.1 as one number
        "https://example.com/x.png",
        "ftp://127.0.0.1/x.png",
        f"{BASE}:8443/static/pdf/print.css",                  # the document's host, other port
        "http://pdf.invalid/static/pdf/print.css",           # other scheme
        f"{BASE}/admin/",                                     # same origin, not static/media
        f"{BASE}/static/../saas/settings.py",
        f"{BASE}/static/%2e%2e/saas/settings.py",
        f"{BASE}/static/..%2fsaas%2fsettings.py",
        f"{BASE}/media/{b}/uploads/secret.png",               # another company's file
        f"{BASE}/media/{a}/../{b}/uploads/secret.png",
        f"{BASE}/media/{a}/%2e%2e/{b}/uploads/secret.png",
        f"{BASE}/media/{a}/%2E%2E%2F{b}%2Fuploads%2Fsecret.png",
        f"{BASE}/media/{a}/uploads/{media['link']}",               # a symlink out of the storage
        f"{BASE}/media/{a}//etc/passwd",
        f"{BASE}/media/{a}/uploads/missing.png",
    ]


def test_serves_static_data_and_own_media(media):
    fetcher = pdf_fetcher_for(media_storage=media["storage"])
    css = fetcher(f"{BASE}/static/pdf/print.css").read()
    assert b"@page" in css
    picture = png("data")
    data_uri = "data:image/png;base64," + base64.b64encode(picture).decode()
    assert fetcher(data_uri).read() == picture
    assert fetcher(BASE + media["ours"]).read() == png("alpha")
    assert fetcher.refused == []


REFUSED_CASES = 22


@pytest.mark.parametrize("index", range(REFUSED_CASES))
def test_refuses(media, server, index):
    port, hits = server
    urls = refused_urls(media, port)
    assert len(urls) == REFUSED_CASES
    url = urls[index]
    fetcher = pdf_fetcher_for(media_storage=media["storage"])
    with pytest.raises(PdfRefused) as refusal:
        fetcher(url)
    assert refusal.value.code == "pdf_fetch_refused"
    assert fetcher.refused == [url]
    assert hits == []


def test_without_a_storage_no_media_at_all(media):
    fetcher = pdf_fetcher_for()
    with pytest.raises(PdfRefused):
        fetcher(BASE + media["ours"])


def _images(pdf: bytes) -> set:
    """The image XObjects of all pages (WeasyPrint's pages share one /Resources)."""
    found = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            if ref.get_object().get("/Subtype") == "/Image":
                found.add(ref.idnum)
    return found


def test_a_document_of_user_content_embeds_only_what_it_may(media, server, caplog):
    port, hits = server
    allowed = [BASE + media["ours"], "/static/img/favicon.svg",
               "data:image/png;base64," + base64.b64encode(png("data")).decode()]
    refused = refused_urls(media, port)
    imgs = "".join(f'<p>图{n}<img src="{url}" alt=""></p>'
                   for n, url in enumerate(allowed + refused))
    # user content as a template would give it: names, notes and pictures they pasted
    html = f'<!doctype html><html lang="zh-CN"><body><h1>会议记录</h1>{imgs}</body></html>'
    with caplog.at_level("WARNING", logger="core.pdf.fetcher"):
        pdf = pdf_render(html=html, media_storage=media["storage"])
    assert hits == []                        # nothing went out to the network
    images = _images(pdf)
    assert len(images) == 2                  # own media and the data: PNG (the SVG is drawn)
    refused_logged = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused_logged) >= len(refused) - 2   # relative forms collapse to one URL


def test_company_b_media_is_not_reachable_from_a_document_of_a(media):
    own = media["ours"].rsplit("/", 1)[1]
    html = (f'<html><body><img src="uploads/{own}">'
            f'<img src="/media/{media["b_schema"]}/uploads/secret.png">'
            f'<img src="../{media["b_schema"]}/uploads/secret.png"></body></html>')
    pdf = pdf_render(html=html, base_url=f"{BASE}/media/{media['a_schema']}/",
                     media_storage=media["storage"])
    assert len(_images(pdf)) == 1  # A's own picture, by a name relative to the base URL
