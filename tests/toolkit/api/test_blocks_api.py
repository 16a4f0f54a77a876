"""5S blocks over the API: made, changed, transferred, verified; roles; company B's token
knows nothing of company A's blocks."""

from django.test import Client
from django_tenants.utils import schema_context

from tests.toolkit.api.conftest import api_login
from tests.toolkit.blocks.test_chain import PAIRED, make_block
from toolkit.blocks.models import Block

A, B = "alpha.localhost", "beta.localhost"


def test_a_member_makes_a_block_and_its_secretary_transfers_it(org_a, api):
    m = org_a.members
    member = api_login(Client(), A, m[2].user.mobile)
    made = api("post", A, "/api/v1/blocks/", member, {
        "name": "3F 东区", "scope": "A1–A8", "responsible_id": m[2].pk, "paired": PAIRED})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["verification"]["intact"] and body["block"]["entries"] == 1
    block_id = body["block"]["id"]
    changed = api("post", A, f"/api/v1/blocks/{block_id}/pairing/", member,
                  {"paired": PAIRED + [{"name": "赵六", "department": "设备部"}]})
    assert changed.status_code == 200 and len(changed.json()["block"]["paired"]) == 4
    refused = api("post", A, f"/api/v1/blocks/{block_id}/transfer/", member, {"to_id": m[4].pk})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    too_few = api("post", A, "/api/v1/blocks/", member, {
        "name": "二区", "scope": "范围", "responsible_id": m[2].pk, "paired": PAIRED[:1]})
    assert too_few.status_code == 400 and too_few.json()["code"] == "block_paired_too_few"
    secretary = api_login(Client(), A, m[0].user.mobile)
    moved = api("post", A, f"/api/v1/blocks/{block_id}/transfer/", secretary, {"to_id": m[4].pk})
    assert moved.status_code == 200, moved.content
    detail = api("get", A, f"/api/v1/blocks/{block_id}/", secretary).json()
    assert [h["kind"] for h in detail["history"]] == ["created", "pairing", "transfer"]
    assert detail["verification"]["intact"] and detail["block"]["responsible_id"] == m[4].pk
    counts = api("get", A, "/api/v1/blocks/counts/", member).json()
    assert (counts["blocks"], counts["paired"], counts["intact"], counts["entries"]) == (
        1, 4, True, 3)


def test_company_bs_token_and_ids_are_nothing_on_as_blocks(org_a, org_b, api):
    with schema_context("alpha"):
        block = make_block(org_a)
    token_b = api_login(Client(), B, org_b.members[0].user.mobile)
    assert api("get", B, f"/api/v1/blocks/{block.pk}/", token_b).status_code == 404
    assert api("post", B, f"/api/v1/blocks/{block.pk}/pairing/", token_b,
               {"paired": PAIRED}).status_code == 404
    assert api("get", B, "/api/v1/blocks/", token_b).json()["results"] == []
    assert api("get", A, "/api/v1/blocks/", token_b).status_code == 401
    with schema_context("alpha"):
        assert Block.objects.get().entries == 1
