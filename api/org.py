"""组织地图 over the API: the tree the org map shows (selectors.unit_tree), one row per unit."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER
from toolkit.org.selectors import unit_tree


class UnitOut(serializers.Serializer):
    id = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    kind_label = serializers.CharField(source="unit.get_kind_display")
    parent = serializers.IntegerField(source="unit.parent_id", allow_null=True)
    depth = serializers.IntegerField()
    secretary = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(source="unit.member_count")

    def get_secretary(self, row) -> str | None:
        secretary = row.unit.secretary
        return secretary.user.get_full_name() if secretary else None


class OrgTree(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=UnitOut(many=True),
                   summary="The organisation tree: parents before children")
    def get(self, request):
        return Response(UnitOut(unit_tree(), many=True).data)
