"""Members are listed by name in pinyin order (白, 冯, 唐, 吴, 叶, 张), not by code point
(冯, 叶, 吴, 唐), on every PostgreSQL: the sort key is kept beside the name (accounts.names),
through every path that writes a name (save, import, rename by import, edit)."""

import pytest
from django.contrib.auth.hashers import make_password
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.toolkit.conftest import login
from toolkit.groups.forms import GroupForm
from toolkit.org import selectors
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.projects.forms import ParticipantForm

PINYIN = ["白雪", "冯涛", "唐静", "吴强", "叶敏", "张伟"]


@pytest.fixture
def one_branch(make_company):
    make_company(name="甲公司", slug="alpha")
    with schema_context("alpha"):
        unit = OrgUnit.objects.create(name="第一党支部", kind=UnitKind.BRANCH)
        password = make_password("pw-123456")
        User.objects.create(username="admin", full_name="管理员", role=Role.COMPANY_ADMIN,
                            password=password)
        for n, name in enumerate(["叶敏", "吴强", "冯涛", "张伟", "唐静", "白雪"]):
            user = User.objects.create(username=f"1390000000{n}", full_name=name,
                                       role=Role.MEMBER, password=password)
            Member.objects.create(user=user, unit=unit)
    return unit


def test_the_member_list_and_pickers_read_in_pinyin_order(client, one_branch):
    with schema_context("alpha"):
        assert [m.user.full_name for m in selectors.members_for_admin()] == PINYIN
        for field in (ParticipantForm().fields["member"],):
            assert [m.user.full_name for m in field.queryset] == PINYIN
        picker = [m.user.full_name for m in GroupForm().fields["leader"].queryset]
        assert picker == PINYIN
    login(client, "alpha.localhost", "admin")
    page = client.get("/members/", HTTP_HOST="alpha.localhost").content.decode()
    positions = [page.index(name) for name in PINYIN]
    assert positions == sorted(positions)


def test_imported_and_renamed_members_sort_by_their_new_names(one_branch):
    from toolkit.org.services import members_bulk_upsert

    row = {"unit_id": one_branch.pk, "status": "full", "position": "member"}
    with schema_context("alpha"):
        members_bulk_upsert(rows=[{**row, "mobile": "13911110001", "name": "安然"},
                                  {**row, "mobile": "13900000000", "name": "郑浩"}])  # 叶敏
        names = [m.user.full_name for m in selectors.members_for_admin()]
        # The key itself, not the server's collation, gives the order (CI's embedded
        # PostgreSQL has no ICU).
        assert User.objects.get(full_name="郑浩").name_sort == "zheng hao\t郑浩"
    assert names == ["安然", "白雪", "冯涛", "唐静", "吴强", "张伟", "郑浩"]


def test_an_edited_name_moves_in_the_list(one_branch):
    with schema_context("alpha"):
        user = User.objects.get(full_name="张伟")
        user.full_name = "艾琳"
        user.save(update_fields=["full_name"])
        names = [m.user.full_name for m in selectors.members_for_admin()]
    assert names[0] == "艾琳"
