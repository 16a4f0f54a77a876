"""5S blocks' pages: made and changed through the forms, the public page its QR code opens
(no sign-in, names masked), signage in A5 and A4 whose QR code decodes, and isolation."""

import subprocess

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tests.toolkit.conftest import login
from toolkit.blocks.models import Block

from .test_chain import make_block

A, B = "alpha.localhost", "beta.localhost"


def test_a_member_makes_and_changes_a_block_through_the_pages(client, org_a):
    m = org_a.members
    login(client, A, m[2].user.username)
    response = client.post("/blocks/new/", {
        "name": "3F 东区", "scope": "A1–A8 工位", "responsible": m[2].pk,
        "paired": "张三 生产部\n李四，质检部\n王五 仓储部"}, HTTP_HOST=A)
    connection.set_schema_to_public()
    assert response.status_code == 302, response.content
    with schema_context("alpha"):
        block = Block.objects.get()
    assert block.paired[1] == {"name": "李四", "department": "质检部"}
    response = client.post(f"/blocks/{block.pk}/pairing/", {
        "paired": "张三 生产部\n李四 质检部\n王五 仓储部\n赵六 设备部"}, HTTP_HOST=A)
    assert response.status_code == 302
    page = client.get(f"/blocks/{block.pk}/", HTTP_HOST=A).content.decode()
    assert 'id="block-verified"' in page and "赵六" in page
    # Too few paired employees: the form says why, nothing is written.
    page = client.post("/blocks/new/", {"name": "二区", "scope": "范围", "responsible": m[2].pk,
                                        "paired": "张三 生产部"}, HTTP_HOST=A)
    assert page.status_code == 200 and "至少结对" in page.content.decode()


def test_the_public_page_needs_no_login_and_masks_the_paired_names(org_a):
    with schema_context("alpha"):
        block = make_block(org_a)
    page = Client().get(f"/blocks/q/{block.token}/", HTTP_HOST=A)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="public-verified"' in html
    assert "张*" in html and "张三" not in html and "李四" not in html
    assert org_a.members[2].user.full_name in html  # the responsible member is named
    assert Client().get("/blocks/q/not-a-token/", HTTP_HOST=A).status_code == 404
    assert Client().get(f"/blocks/{block.pk}/", HTTP_HOST=A).status_code == 302  # sign-in


def test_signage_in_a5_and_a4_carries_a_qr_code_that_decodes(client, org_a, tmp_path):
    with schema_context("alpha"):
        block = make_block(org_a)
    login(client, A, org_a.members[2].user.username)
    for size, width_mm in (("a5", 148), ("a4", 210)):
        response = client.get(f"/blocks/{block.pk}/signage.pdf?size={size}", HTTP_HOST=A)
        assert response["Content-Type"] == "application/pdf"
        pdf = tmp_path / f"{size}.pdf"
        pdf.write_bytes(response.content)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        points = float(info.split("Page size:")[1].split("x")[0])
        assert abs(points / 72 * 25.4 - width_mm) < 1, info
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                              text=True).stdout
        assert block.name in text and "张三" in text and "责任党员" in text
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf),
                        str(tmp_path / size)], check=True)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / f"{size}.png")],
                                 capture_output=True, text=True).stdout.strip()
        assert decoded == f"http://{A}/blocks/q/{block.token}/"


def test_company_bs_site_knows_nothing_of_company_as_blocks(client, org_a, org_b):
    with schema_context("alpha"):
        block = make_block(org_a)
    login(client, B, org_b.members[0].user.username)
    for path in (f"/blocks/{block.pk}/", f"/blocks/{block.pk}/signage.pdf?size=a4",
                 f"/blocks/q/{block.token}/"):
        assert client.get(path, HTTP_HOST=B).status_code == 404, path
    response = client.post(f"/blocks/{block.pk}/pairing/", {"paired": "a\nb\nc"}, HTTP_HOST=B)
    assert response.status_code == 404
    assert Client().get(f"/blocks/q/{block.token}/", HTTP_HOST=B).status_code == 404


def test_the_dashboard_counts_blocks_and_paired_employees_per_branch(client, org_a):
    with schema_context("alpha"):
        make_block(org_a)
    login(client, A, org_a.members[3].user.username)
    page = client.get("/dashboard/", HTTP_HOST=A)
    html = page.content.decode()
    card = html[html.index('id="dashboard-blocks"'):]
    assert "第1党支部" in card and "1 个区块 · 3 名结对职工" in card
