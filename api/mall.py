"""积分超市 over the API: the mall page's offers (the redeem rule's answer for each reward),
redeeming (the same service) and my redemptions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import COMPANY_USER, MEMBER
from toolkit.mall import selectors, services
from toolkit.mall.models import Reward
from toolkit.periods import month_start


class OfferOut(serializers.Serializer):
    id = serializers.IntegerField(source="reward.pk")
    name = serializers.CharField(source="reward.name")
    description = serializers.CharField(source="reward.description")
    cost = serializers.IntegerField(source="reward.cost")
    stock = serializers.IntegerField(source="reward.stock")
    redeemable = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True)  # why not, in the page's words


class RedemptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    reward_id = serializers.IntegerField()
    reward = serializers.CharField(source="reward.name")
    month = serializers.DateField()
    created_at = serializers.DateTimeField()
    fulfilled_at = serializers.DateTimeField(allow_null=True)


class Rewards(APIView):
    permission_classes = COMPANY_USER

    @extend_schema(responses=OfferOut(many=True), summary="Rewards, with whether I may redeem")
    def get(self, request):
        standing = (selectors.redeem_standing(member=request.member, month=month_start())
                    if request.member is not None else None)
        return Response(OfferOut(selectors.reward_offers(standing=standing), many=True).data)


class Redeem(APIView):
    permission_classes = MEMBER
    throttle_scope = "api-write"

    @extend_schema(request=None, responses={201: RedemptionOut}, summary="Redeem a reward")
    def post(self, request, reward_id: int):
        reward = get_object_or_404(Reward, pk=reward_id)
        redemption = services.reward_redeem(member=request.member, reward=reward,
                                            month=month_start())
        return Response(RedemptionOut(redemption).data, status=status.HTTP_201_CREATED)


class MyRedemptions(generics.ListAPIView):
    permission_classes = MEMBER
    serializer_class = RedemptionOut

    def get_queryset(self):
        return selectors.redemptions_of(member=self.request.member).order_by("-created_at")
