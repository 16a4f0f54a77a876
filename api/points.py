"""积分 over the API: balance, rank and history (toolkit.points.selectors)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import MEMBER
from toolkit.points import selectors
from toolkit.points.models import LedgerEntry


class BalanceOut(serializers.Serializer):
    balance = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True)


class Balance(APIView):
    permission_classes = MEMBER

    @extend_schema(responses=BalanceOut, summary="My points balance and rank this month")
    def get(self, request):
        return Response(BalanceOut({"balance": selectors.balance_of(member=request.member),
                                    "rank": selectors.member_rank(member=request.member)}).data)


class EntryOut(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "rule_code", "amount", "balance_after", "note", "created_at"]


class History(generics.ListAPIView):
    permission_classes = MEMBER
    serializer_class = EntryOut

    def get_queryset(self):
        return selectors.ledger_of(member=self.request.member)
