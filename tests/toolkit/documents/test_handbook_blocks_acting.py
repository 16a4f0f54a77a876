"""The handbook's 5S signage part (blocks, paired names masked, counts) and its acting
secretary schedule."""

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.toolkit.blocks.test_chain import make_block
from tests.toolkit.documents.conftest import pdf_text
from toolkit.acting import services as acting
from toolkit.documents import services
from toolkit.documents.models import Edition, RenderStatus
from toolkit.periods import month_start


def test_the_handbook_has_the_blocks_and_the_acting_schedule(org_a, tmp_path):
    m = org_a.members
    with schema_context("alpha"):
        make_block(org_a, name="三楼东区")
        acting.acting_appoint(unit=org_a.branches[0], member=m[4],
                              month=month_start(timezone.localdate()), by=org_a.admin)
        render = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.MEMBER).pk)
        assert render.status == RenderStatus.DONE, render.error
        text = pdf_text(render.file.read(), tmp_path)
    for expected in ["5S 区块标识", "三楼东区", "张*", "今天我来当书记", m[4].user.full_name]:
        assert expected in text, expected
    assert "张三" not in text
