"""党员网红 and 党员达人 over the API: groups, their members and works, following, nominations
and the committee's decisions, publishing a work (toolkit.groups: the pages' services and
access rules)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MEMBER
from toolkit.groups import selectors, services
from toolkit.groups.models import Group, GroupKind, Nomination, NominationStatus, WorkKind
from toolkit.org.models import Member


class GroupOut(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=GroupKind.choices)
    leader = serializers.CharField(source="leader.user.full_name")
    member_count = serializers.IntegerField()
    work_count = serializers.IntegerField()
    follower_count = serializers.IntegerField()
    followed = serializers.BooleanField(default=False)

    class Meta:
        model = Group
        fields = ["id", "name", "kind", "theme", "leader", "member_count", "work_count",
                  "follower_count", "followed"]


class WorkOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=WorkKind.choices)
    title = serializers.CharField()
    body = serializers.CharField()
    author = serializers.CharField(source="author.user.full_name")
    has_file = serializers.SerializerMethodField()
    member_lesson_uid = serializers.UUIDField(source="member_lesson.uid", allow_null=True,
                                              default=None)
    created_at = serializers.DateTimeField()

    def get_has_file(self, work) -> bool:
        return bool(work.file)


class GroupMemberOut(serializers.Serializer):
    member_id = serializers.IntegerField()
    name = serializers.CharField(source="member.user.full_name")
    unit = serializers.CharField(source="member.unit.name", default="")


class GroupDetailOut(serializers.Serializer):
    group = GroupOut()
    members = GroupMemberOut(many=True)
    works = WorkOut(many=True)


class Groups(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=GroupOut(many=True), summary="Influencer and expert groups")
    def get(self, request):
        return Response(GroupOut(selectors.groups(member=request.member), many=True).data)


class GroupDetail(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=GroupDetailOut, summary="A group, its members and its works")
    def get(self, request, group_id):
        group = get_object_or_404(selectors.groups(member=request.member), pk=group_id)
        return Response(GroupDetailOut({
            "group": group, "members": selectors.members_of(group=group),
            "works": selectors.works_of(group=group)[:100]}).data)


class FollowIn(serializers.Serializer):
    follow = serializers.BooleanField(default=True)


class Follow(APIView):
    permission_classes = MEMBER

    @extend_schema(request=FollowIn, responses=GroupOut, summary="Follow or unfollow a group")
    def post(self, request, group_id):
        group = get_object_or_404(Group, pk=group_id)
        data = FollowIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.group_follow(member=request.member, group=group, **data.validated_data)
        return Response(GroupOut(selectors.groups(member=request.member).get(pk=group.pk)).data)


class NominationOut(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    name = serializers.CharField(source="member.user.full_name")
    reason = serializers.CharField()
    status = serializers.ChoiceField(choices=NominationStatus.choices)


class NominateIn(serializers.Serializer):
    member_id = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class Nominate(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(request=NominateIn, responses={201: NominationOut},
                   summary="Nominate a member to a group")
    def post(self, request, group_id):
        group = get_object_or_404(Group, pk=group_id)
        data = NominateIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = get_object_or_404(Member, pk=data.validated_data["member_id"])
        nomination = services.nomination_create(by=request.user, group=group, member=member,
                                                reason=data.validated_data["reason"])
        return Response(NominationOut(nomination).data, status=201)


class Nominations(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=NominationOut(many=True),
                   summary="Nominations waiting for the committee")
    def get(self, request):
        if not selectors.may_decide_nominations(user=request.user):
            raise PermissionDenied
        return Response(NominationOut(selectors.pending_nominations(), many=True).data)


class NominationDecideIn(serializers.Serializer):
    approve = serializers.BooleanField()


class NominationDecide(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(request=NominationDecideIn, responses=NominationOut,
                   summary="The committee approves or declines a nomination")
    def post(self, request, nomination_id):
        nomination = get_object_or_404(Nomination, pk=nomination_id)
        data = NominationDecideIn(data=request.data)
        data.is_valid(raise_exception=True)
        nomination = services.nomination_decide(by=request.user, nomination=nomination,
                                                **data.validated_data)
        return Response(NominationOut(nomination).data)


class WorkIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WorkKind.choices)
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=5000, required=False, default="", allow_blank=True)
    file = serializers.FileField(required=False)
    member_lesson_id = serializers.IntegerField(required=False)


class Works(APIView):
    permission_classes = MEMBER
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": WorkIn}, responses={201: WorkOut},
                   summary="Publish a work in my group")
    def post(self, request, group_id):
        group = get_object_or_404(Group, pk=group_id)
        data = WorkIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        lesson = None
        if values.get("member_lesson_id"):
            lesson = selectors.linkable_lessons(member=request.member).filter(
                pk=values["member_lesson_id"]).first()
            if lesson is None:
                raise services.lesson_not_yours("member_lesson_id")
        work = services.work_publish(by=request.user, group=group, kind=values["kind"],
                                     title=values["title"], body=values["body"],
                                     upload=values.get("file"), member_lesson=lesson)
        return Response(WorkOut(work).data, status=201)
