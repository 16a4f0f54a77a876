"""The handbook's printed QR codes open the company's site where it is served: rendered in a
worker (no request to take the port from), they carry the public port (PUBLIC_PORT, as the
certificates' verify links do). The demo serves on :8000 or :8200; a code without the port
opened nothing there."""

import subprocess

from django_tenants.utils import schema_context

from tests.toolkit.blocks.test_chain import make_block
from toolkit.documents import services
from toolkit.documents.models import Edition, RenderStatus


def _decoded(pdf: bytes, tmp_path) -> set[str]:
    """Every QR code on every page, as the URLs a phone would open."""
    path = tmp_path / "handbook.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")],
                   check=True)
    found = set()
    for png in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True,
                             text=True).stdout
        found.update(line.strip() for line in out.splitlines() if line.strip())
    return found


def test_the_handbooks_qr_codes_carry_the_public_port(org_a, settings, tmp_path):
    settings.PUBLIC_PORT = "8200"
    with schema_context("alpha"):
        block = make_block(org_a, name="三楼东区")
        render = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.FULL).pk)
        assert render.status == RenderStatus.DONE, render.error
        decoded = _decoded(render.file.read(), tmp_path)
    branch = org_a.branches[0]
    assert f"http://alpha.localhost:8200/life/?unit={branch.pk}" in decoded  # room poster
    assert f"http://alpha.localhost:8200/blocks/q/{block.token}/" in decoded  # 5S block
    assert all(":8200/" in url for url in decoded), decoded


def test_on_the_default_port_the_codes_carry_none(org_a, settings, tmp_path):
    settings.PUBLIC_PORT = "443"
    with schema_context("alpha"):
        block = make_block(org_a)
        render = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.MEMBER).pk)
        decoded = _decoded(render.file.read(), tmp_path)
    assert f"http://alpha.localhost/blocks/q/{block.token}/" in decoded
