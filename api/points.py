"""积分 over the API: balance, rank and history (toolkit.points.selectors)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import ADMIN, COMPANY_USER, MEMBER
from toolkit.points import selectors
from toolkit.points.forms import BoardFilterForm, CorrectionForm
from toolkit.points.models import LedgerEntry, PointCategory
from toolkit.points.services import points_correct


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


class StandingOut(serializers.Serializer):
    rank = serializers.IntegerField()
    member_id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    points = serializers.IntegerField()


class Leaderboard(APIView):
    """The leaderboard page's ranking: ?period=month|quarter|year, ?unit=<id> (a branch's board
    includes its 党小组; an id that is no unit of this company is 404, as on the page)."""

    permission_classes = COMPANY_USER

    @extend_schema(
        parameters=[OpenApiParameter("period", str, enum=["month", "quarter", "year"]),
                    OpenApiParameter("unit", int)],
        responses=StandingOut(many=True), summary="Leaderboard by period and scope")
    def get(self, request):
        filters = BoardFilterForm(request.query_params)
        filters.is_valid()
        if "unit" in filters.errors:
            raise Http404
        standings = selectors.leaderboard(period=filters.cleaned_data.get("period") or "month",
                                          day=timezone.localdate(),
                                          unit=filters.cleaned_data.get("unit"))
        return Response(StandingOut(standings, many=True).data)


class CorrectionIn(serializers.Serializer):
    """Described for the schema; the page's CorrectionForm validates."""

    member = serializers.IntegerField()
    amount = serializers.IntegerField()
    category = serializers.ChoiceField(choices=PointCategory.choices)
    note = serializers.CharField(max_length=150)


class CorrectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    amount = serializers.IntegerField()
    balance_after = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class Correction(APIView):
    """The admin records a correction: a new ledger entry, never an edit (the page's form)."""

    permission_classes = ADMIN
    throttle_scope = "api-write"

    @extend_schema(request=CorrectionIn, responses={201: CorrectionOut},
                   summary="Correct a member's points")
    def post(self, request):
        data = form_valid(CorrectionForm(request.data))
        entry = points_correct(by=request.user, **data)  # refusals: api.errors
        return Response(CorrectionOut(entry).data, status=201)
