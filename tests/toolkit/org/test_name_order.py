"""Members are listed by name in pinyin order (白, 冯, 唐, 吴, 叶, 张), not by code point
(冯, 叶, 吴, 唐), where the server has ICU's Chinese collation."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tests.toolkit.conftest import login
from toolkit.groups.forms import GroupForm
from toolkit.org import selectors
from toolkit.org.models import Member, OrgUnit, UnitKind
from toolkit.projects.forms import ParticipantForm

PINYIN = ["白雪", "冯涛", "唐静", "吴强", "叶敏", "张伟"]


def _has_icu() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'zh-x-icu'")
        return cursor.fetchone() is not None


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
    if not _has_icu():
        pytest.skip("this PostgreSQL has no ICU collation (names keep code point order)")
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


def test_without_icu_names_keep_the_server_s_order(one_branch, monkeypatch):
    monkeypatch.setattr(selectors, "_server_has", lambda collation: False)
    with schema_context("alpha"):
        names = [m.user.full_name for m in selectors.members_for_admin()]
    assert names == sorted(PINYIN)  # code point order, still a stable order by name
