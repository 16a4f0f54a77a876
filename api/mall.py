"""积分超市 over the API: the mall page's offers (the redeem rule's answer for each reward),
redeeming (the same service) and my redemptions."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import ADMIN, COMPANY_USER, MEMBER
from toolkit.mall import selectors, services
from toolkit.mall.forms import MAX_COST, MAX_STOCK, RewardEditForm, RewardForm
from toolkit.mall.models import Redemption, Reward
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


# The admin's shelf (toolkit.mall.views.manage, reward_edit, fulfil): the page's forms and
# services; the model's own limits (checked by reward_save) answer as field errors.


class RewardOut(serializers.ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "name", "description", "cost", "stock", "active"]


class RewardIn(serializers.Serializer):
    """Described for the schema; the page's RewardForm / RewardEditForm validate."""

    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cost = serializers.IntegerField(min_value=1, max_value=MAX_COST)
    stock = serializers.IntegerField(min_value=0, max_value=MAX_STOCK)
    active = serializers.BooleanField(required=False)


class ManagedRewards(generics.ListAPIView):
    """Every reward, on the shelf or not; POST puts a new one on the shelf."""

    permission_classes = ADMIN
    serializer_class = RewardOut

    def get_queryset(self):
        return selectors.rewards_for_admin().order_by("id")

    @extend_schema(request=RewardIn, responses={201: RewardOut}, summary="Add a reward")
    def post(self, request):
        reward = services.reward_save(**form_valid(RewardForm(request.data)))
        return Response(RewardOut(reward).data, status=status.HTTP_201_CREATED)


class ManagedReward(APIView):
    permission_classes = ADMIN

    @extend_schema(request=RewardIn, responses=RewardOut, summary="Edit a reward")
    def patch(self, request, reward_id: int):
        reward = get_object_or_404(Reward, pk=reward_id)
        current = {"name": reward.name, "description": reward.description,
                   "cost": reward.cost, "stock": reward.stock, "active": reward.active}
        data = form_valid(RewardEditForm({**current, **_plain(request.data)}))
        return Response(RewardOut(services.reward_save(reward=reward, **data)).data)


class ManagedRedemptionOut(RedemptionOut):
    member_id = serializers.IntegerField()
    member = serializers.CharField(source="member.user.full_name")


class ManagedRedemptions(generics.ListAPIView):
    """Every redemption, newest first (the shelf page's list), to hand the rewards out."""

    permission_classes = ADMIN
    serializer_class = ManagedRedemptionOut

    def get_queryset(self):
        return selectors.redemptions().order_by("-created_at", "-id")


class Fulfil(APIView):
    permission_classes = ADMIN
    throttle_scope = "api-write"

    @extend_schema(request=None, responses=ManagedRedemptionOut, summary="Mark as handed out")
    def post(self, request, redemption_id: int):
        redemption = get_object_or_404(Redemption, pk=redemption_id)
        services.redemption_fulfil(redemption=redemption)
        return Response(ManagedRedemptionOut(
            selectors.redemptions().get(pk=redemption.pk)).data)


def _plain(data) -> dict:
    return data.dict() if hasattr(data, "dict") else dict(data)
