"""What the printed handbook looked like in the demo, kept right: a form's check box stays on
one line with its label (□党小组会 was split into □党小组 / 会), the minutes form's labels fit
their column, a paired employee's masked name stays with their department, and the mall's
short part (heading, rules, shelf) is not split over two pages."""

from django_tenants.utils import schema_context

from tests.toolkit.documents.conftest import pdf_text
from toolkit.blocks import services as blocks
from toolkit.documents import services
from toolkit.documents.models import Edition, RenderStatus
from toolkit.mall.models import Reward

# The demo's shelf (demo/toolkit.py): the one that was split two and two.
SHELF = [("党建主题笔记本", "红色封面，带书签", 30),
         ("《习近平新时代中国特色社会主义思想学习纲要》", "精装本", 60),
         ("保温杯", "不锈钢，500 毫升", 80), ("带薪休假半天", "与部门负责人商定时间", 150)]
PAIRED = [{"name": name, "department": department} for name, department in (
    ("彭刚", "设备部"), ("苏建华", "生产部"), ("蔡杰", "质检部"), ("陈俊杰", "财务部"),
    ("任丹", "设备部"), ("周晓梅", "仓储部"), ("邓超", "仓储部"), ("卢小燕", "行政部"),
    ("姚明", "设备部"), ("黄海", "生产部"), ("肖红", "财务部"), ("杜鹃", "质检部"))]


def _pages(pdf: bytes, tmp_path) -> list[str]:
    return pdf_text(pdf, tmp_path).split("\f")


def test_printed_lines_keep_what_belongs_together(org_a, tmp_path):
    with schema_context("alpha"):
        for name, description, cost in SHELF:
            Reward.objects.create(name=name, description=description, cost=cost, stock=5)
        member = org_a.members[2]
        blocks.block_create(by=member.user, responsible=member, name="一车间东区",
                            scope="1F 东区 A1–A8 工位", paired=PAIRED)
        render = services.handbook_render(
            render_id=services.handbook_request(edition=Edition.MEMBER).pk)
        assert render.status == RenderStatus.DONE, render.error
        pages = _pages(render.file.read(), tmp_path)
    lines = [line for page in pages for line in page.splitlines()]
    text = "\n".join(lines)
    for option in ("□支部党员大会", "□支委会", "□党小组会", "□党课", "□主题党日", "□不同意",
                   "□签到表"):
        assert any(option in line for line in lines), option
    assert any("缺席及原因" in line for line in lines)
    for pair in PAIRED:  # masked as on the public page: 彭*, 苏**
        masked = f"{pair['name'][0]}{'*' * (len(pair['name']) - 1)}（{pair['department']}）"
        assert any(masked in line for line in lines), masked
    assert "彭刚" not in text
    # The mall's heading and the whole shelf on one page.
    mall = [number for number, page in enumerate(pages) if "积分商城" in page]
    shelf = {number for number, page in enumerate(pages) for name, _d, _c in SHELF
             if name[:6] in page}
    assert mall and shelf == {mall[-1]}, (mall, shelf)
