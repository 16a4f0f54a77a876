import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from core.errors import Forbidden
from tests.toolkit.conftest import login
from toolkit.groups import services
from toolkit.groups.models import Follow, GroupKind, Membership, NominationStatus, Work, WorkKind
from toolkit.uploads import UploadRefused

pytestmark = pytest.mark.django_db
A, B = "alpha.localhost", "beta.localhost"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _group(org, name="青年网红团"):
    with schema_context(org.schema):
        return services.group_create(by=org.admin, name=name, kind=GroupKind.INFLUENCER,
                                     theme="讲好身边的党员故事", leader=org.members[0])


def test_a_group_starts_with_its_leader_and_only_the_committee_founds_one(org_a):
    group = _group(org_a)
    with schema_context("alpha"):
        assert list(Membership.objects.filter(group=group).values_list("member_id", flat=True)) \
            == [org_a.members[0].pk]
        with pytest.raises(Forbidden):  # a branch secretary is not the committee
            services.group_create(by=org_a.members[1].user, name="x", kind=GroupKind.EXPERT,
                                  theme="t", leader=org_a.members[1])


def test_a_nomination_joins_the_member_once_the_committee_approves(org_a):
    group = _group(org_a)
    with schema_context("alpha"):
        nominee = org_a.members[3]
        nomination = services.nomination_create(by=nominee.user, group=group, member=nominee,
                                                reason="擅长短视频")
        with pytest.raises(services.GroupRefused) as refused:
            services.nomination_create(by=org_a.members[4].user, group=group, member=nominee,
                                       reason="again")
        assert refused.value.code == "nomination_pending"
        with pytest.raises(Forbidden):  # nor the nominee, nor a branch secretary
            services.nomination_decide(by=org_a.members[1].user, nomination=nomination,
                                       approve=True)
        assert not Membership.objects.filter(group=group, member=nominee).exists()
        services.nomination_decide(by=org_a.admin, nomination=nomination, approve=True)
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.APPROVED
        assert Membership.objects.filter(group=group, member=nominee).exists()
        with pytest.raises(services.GroupRefused):
            services.nomination_decide(by=org_a.admin, nomination=nomination, approve=False)


def test_only_members_publish_works_and_files_are_judged_by_content(org_a):
    group = _group(org_a)
    with schema_context("alpha"):
        leader, outsider = org_a.members[0], org_a.members[3]
        with pytest.raises(Forbidden):
            services.work_publish(by=outsider.user, group=group, kind=WorkKind.ARTICLE,
                                  title="t", body="正文")
        with pytest.raises(UploadRefused):
            services.work_publish(by=leader.user, group=group, kind=WorkKind.ARTICLE, title="t",
                                  upload=SimpleUploadedFile("photo.png", b"MZ\x90\x00 not png"))
        with pytest.raises(services.GroupRefused):
            services.work_publish(by=leader.user, group=group, kind=WorkKind.ARTICLE, title="t")
        work = services.work_publish(by=leader.user, group=group, kind=WorkKind.SERVICE,
                                     title="社区义诊", body="为社区老人量血压",
                                     upload=SimpleUploadedFile("现场.png", PNG))
        assert work.file_type == "image/png"


def test_following_is_idempotent(org_a):
    group = _group(org_a)
    with schema_context("alpha"):
        member = org_a.members[4]
        services.group_follow(member=member, group=group)
        services.group_follow(member=member, group=group)
        assert Follow.objects.filter(group=group).count() == 1
        services.group_follow(member=member, group=group, follow=False)
        assert not Follow.objects.filter(group=group).exists()


def test_pages_show_groups_and_company_b_sees_none_of_a(org_a, org_b, client,
                                                        django_capture_on_commit_callbacks):
    group = _group(org_a)
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        work = services.work_publish(by=org_a.members[0].user, group=group,
                                     kind=WorkKind.ARTICLE, title="一篇好文章", body="正文",
                                     upload=SimpleUploadedFile("a.png", PNG))
    login(client, A, org_a.members[4].user.mobile)
    page = client.get("/groups/", HTTP_HOST=A)
    assert "青年网红团" in page.content.decode()
    assert client.post(f"/groups/{group.pk}/follow/", HTTP_HOST=A).status_code == 302
    assert "一篇好文章" in client.get(f"/groups/{group.pk}/", HTTP_HOST=A).content.decode()
    assert client.get(f"/groups/works/{work.pk}/file/", HTTP_HOST=A).status_code == 200
    assert client.get("/groups/nominations/", HTTP_HOST=A).status_code == 403
    client.logout()
    login(client, B, org_b.members[4].user.mobile)
    assert "青年网红团" not in client.get("/groups/", HTTP_HOST=B).content.decode()
    assert client.get(f"/groups/{group.pk}/", HTTP_HOST=B).status_code == 404
    assert client.get(f"/groups/works/{work.pk}/file/", HTTP_HOST=B).status_code == 404
    assert client.post(f"/groups/{group.pk}/follow/", HTTP_HOST=B).status_code == 404
    with schema_context("alpha"):
        assert Work.objects.count() == 1 and Follow.objects.count() == 1


def test_the_admin_decides_nominations_on_the_page(org_a, client):
    group = _group(org_a)
    login(client, A, org_a.members[3].user.mobile)
    client.post(f"/groups/{group.pk}/nominate/",
                {"member": org_a.members[3].pk, "reason": "自荐"}, HTTP_HOST=A)
    client.logout()
    login(client, A, "admin")
    page = client.get("/groups/nominations/", HTTP_HOST=A).content.decode()
    assert "自荐" in page
    with schema_context("alpha"):
        nomination_id = group.nominations.get().pk
    client.post(f"/groups/nominations/{nomination_id}/decide/", {"decision": "approve"},
                HTTP_HOST=A)
    with schema_context("alpha"):
        assert Membership.objects.filter(group=group, member=org_a.members[3]).exists()
