"""党员管理 over the API (the company admin only): the member pages' filters, form, services
and access rules (toolkit.org.member_views), one member at a time, and an import's progress."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services as accounts_services
from api.forms import form_valid
from api.permissions import ADMIN
from billing import limits as billing_limits
from onboarding.company import import_services
from onboarding.company.models import MemberImport
from toolkit.org import selectors, services
from toolkit.org.forms import MemberFilterForm, MemberForm
from toolkit.org.models import Gender, MemberStatus, OrgUnit, Position


class MemberOut(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField(source="user.full_name")
    mobile = serializers.CharField(source="user.mobile")
    email = serializers.CharField(source="user.email")
    unit_id = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    gender = serializers.CharField()
    status = serializers.CharField()
    position = serializers.CharField()
    is_active = serializers.BooleanField(source="user.is_active")
    must_change_password = serializers.BooleanField(source="user.must_change_password")


class MemberFilter(serializers.Serializer):
    """Described for the schema; the page's MemberFilterForm validates."""

    q = serializers.CharField(required=False)
    unit = serializers.IntegerField(required=False)
    state = serializers.ChoiceField(choices=["active", "deactivated", "must_change"],
                                    required=False)


class MemberEditIn(serializers.Serializer):
    """Described for the schema; the page's MemberForm validates (every field, as on the page:
    a PATCH starts from the member's current values)."""

    full_name = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)
    email = serializers.EmailField(required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=["", *Gender.values], required=False)
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False)
    position = serializers.ChoiceField(choices=Position.choices, required=False)


class MemberCreateIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=50)
    mobile = serializers.CharField(max_length=11)
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    position = serializers.ChoiceField(choices=Position.choices, default=Position.MEMBER)
    status = serializers.ChoiceField(choices=MemberStatus.choices, default=MemberStatus.FULL)


class Members(generics.ListAPIView):
    """The member list, with the page's filters (q: name or mobile; unit: and those under it;
    state: active, deactivated, must_change). POST adds one member (the plan limit applies)."""

    permission_classes = ADMIN
    serializer_class = MemberOut

    def get_queryset(self):
        criteria = form_valid(MemberFilterForm(self.request.query_params))
        return selectors.members_for_admin(q=criteria.get("q", "").strip(),
                                           unit=criteria.get("unit"),
                                           state=criteria.get("state", ""))

    @extend_schema(parameters=[MemberFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=MemberCreateIn, responses={201: MemberOut}, summary="Add a member")
    def post(self, request):
        data = MemberCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.member_create(**data.validated_data)  # refusals: api.errors
        return Response(MemberOut(selectors.members().get(pk=member.pk)).data,
                        status=status.HTTP_201_CREATED)


class MemberDetail(APIView):
    permission_classes = ADMIN

    @extend_schema(responses=MemberOut, summary="A member")
    def get(self, request, member_id: int):
        return Response(MemberOut(get_object_or_404(selectors.members(), pk=member_id)).data)

    @extend_schema(request=MemberEditIn, responses=MemberOut,
                   summary="Edit a member's details (audited)")
    def patch(self, request, member_id: int):
        member = get_object_or_404(selectors.members(), pk=member_id)
        data = form_valid(MemberForm({**MemberForm.initial_for(member), **_plain(request.data)}))
        services.member_update(member=member, by=request.user, **data)  # refusals: api.errors
        return Response(MemberOut(selectors.members().get(pk=member.pk)).data)


class _AccountAction(APIView):
    permission_classes = ADMIN
    account_action = None

    @extend_schema(request=None, responses=MemberOut)
    def post(self, request, member_id: int):
        member = get_object_or_404(selectors.members(), pk=member_id)
        self.account_action(target=member.user, by=request.user)  # refusals: api.errors
        return Response(MemberOut(selectors.members().get(pk=member.pk)).data)


class MemberDeactivate(_AccountAction):
    """Stop a member signing in (their points and records stay); not one's own account."""

    account_action = staticmethod(accounts_services.user_deactivate)


class MemberReactivate(_AccountAction):
    account_action = staticmethod(billing_limits.member_reactivate)  # the plan limit applies


class ImportOut(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    status = serializers.CharField()
    step = serializers.CharField(source="get_status_display")
    progress = serializers.SerializerMethodField()
    total_rows = serializers.IntegerField()
    created_count = serializers.IntegerField()
    updated_count = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_progress(self, job) -> int:
        return import_services.member_import_progress(job)


class MemberImportStatus(generics.RetrieveAPIView):
    """A roster import's state and progress (percent written), as the setup page polls it."""

    permission_classes = ADMIN
    serializer_class = ImportOut
    lookup_url_kwarg = "job_id"
    queryset = MemberImport.objects.all()


def _plain(data) -> dict:
    """A form-encoded body's QueryDict as one value per field, like a JSON body's dict."""
    return data.dict() if hasattr(data, "dict") else dict(data)
