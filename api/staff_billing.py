"""Staff's billing over the API, on the incubator's own host (/api/v1/staff/billing/): the
overview, each company's billing, plans (list, create, edit), sponsored periods for a company
or a whole batch (孵化期免费), the grace period. The same services and selectors as
billing/public_views.py and onboarding's batch page.

Staff sign in on the incubator's site: these endpoints take its session (with DRF's CSRF
check). API tokens live in each company's schema (0013), so none exists here."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.billing import BillingInvoiceOut, BillingPlanOut
from api.permissions import PasswordChangeRequired
from billing import selectors, services
from billing.entitlements import billing_status
from billing.models import BillingAccount, BillingStatus, Feature, Plan, PriceRollState
from core.roles import Role
from onboarding import services as onboarding_services
from onboarding.models import IncubationBatch


class IsStaff(permissions.BasePermission):
    """The incubator's staff only (core.decorators.staff_required)."""

    def has_permission(self, request, view):
        return request.user.role == Role.STAFF or request.user.is_superuser


class StaffView(APIView):
    authentication_classes = [authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, PasswordChangeRequired, IsStaff]


class StaffPlanOut(BillingPlanOut):
    is_public = serializers.BooleanField()
    sort = serializers.IntegerField()
    accounts_count = serializers.IntegerField(
        help_text="Companies holding this plan's terms now (their copy).")


class StaffPriceRollOut(serializers.Serializer):
    """Moving the plan's live subscriptions to its current price, in the worker (0037)."""

    state = serializers.ChoiceField(choices=PriceRollState.choices)
    checked = serializers.IntegerField(help_text="Subscriptions read so far (moved or on the "
                                                 "price already).")
    total = serializers.IntegerField(help_text="Live subscriptions on the plan.")
    moved = serializers.IntegerField(help_text="Of them moved to the new price, paid from their "
                                               "next period.")
    attempts = serializers.IntegerField(help_text="Retries after Stripe errors in this run.")
    error = serializers.CharField(help_text="The last failure, with the company it was at.")
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    stopped = serializers.BooleanField(help_text="Failed or stalled: POST …/price-roll/retry/.")


class StaffPlanDetailOut(StaffPlanOut):
    price_roll = StaffPriceRollOut(allow_null=True, help_text=(
        "The latest roll of a new price onto the live subscriptions; null: never started."))


class StaffPlanEditOut(StaffPlanDetailOut):
    price_roll_started = serializers.BooleanField(help_text=(
        "A roll started with this edit (an amount changed): the worker moves each live "
        "subscription to the new price, paid from its next period; follow `price_roll`."))


class StaffPlanIn(serializers.Serializer):
    """A plan in fen and bytes (the page takes yuan and GB). A PATCH starts from the plan."""

    code = serializers.SlugField(max_length=40, help_text="Set on creation only.")
    name = serializers.CharField(max_length=50)
    price_month_fen = serializers.IntegerField(min_value=0, max_value=100_000_000)
    price_year_fen = serializers.IntegerField(min_value=0, max_value=1_000_000_000)
    member_limit = serializers.IntegerField(min_value=1, max_value=10_000_000)
    storage_quota_bytes = serializers.IntegerField(min_value=1)
    features = serializers.ListField(child=serializers.ChoiceField(choices=Feature.choices),
                                     allow_empty=True)
    is_public = serializers.BooleanField(default=True)
    sort = serializers.IntegerField(min_value=0, max_value=32767, default=0)


class StaffAccountOut(serializers.Serializer):
    id = serializers.IntegerField()
    company_id = serializers.IntegerField()
    company = serializers.CharField(source="company.name")
    status = serializers.SerializerMethodField()
    plan = BillingPlanOut()
    interval = serializers.CharField()
    price_fen = serializers.IntegerField(help_text=(
        "What its subscription pays a period (fen, at `interval`): the price it bought or last "
        "renewed at, not the plan's list price now."))
    member_limit = serializers.IntegerField()
    storage_quota_bytes = serializers.IntegerField()
    storage_used_bytes = serializers.IntegerField()
    features = serializers.ListField(child=serializers.CharField())
    subscription_status = serializers.CharField()
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField()
    past_due_since = serializers.DateTimeField(allow_null=True)
    grace_days = serializers.IntegerField()

    def get_status(self, obj) -> str:
        return billing_status(obj)


class StaffSponsorshipOut(serializers.Serializer):
    id = serializers.IntegerField()
    company_id = serializers.IntegerField()
    kind = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField()


class StaffAccountDetailOut(serializers.Serializer):
    account = StaffAccountOut()
    invoices = BillingInvoiceOut(many=True)
    sponsorships = StaffSponsorshipOut(many=True)


class StaffSponsorIn(serializers.Serializer):
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StaffBatchSponsorOut(serializers.Serializer):
    companies = serializers.IntegerField(help_text="Companies in the batch.")
    made = serializers.IntegerField(help_text="Periods made now (0 when granted before).")


class StaffGraceIn(serializers.Serializer):
    days = serializers.IntegerField()


class StaffOverviewOut(serializers.Serializer):
    mrr_fen = serializers.IntegerField(help_text=(
        "What the active and past-due subscriptions pay a month (a year's price over 12), at "
        "the price each bought or last renewed at."))
    by_status = serializers.DictField(child=serializers.IntegerField())
    failed_payments = serializers.IntegerField()
    sponsorships_ending = StaffSponsorshipOut(many=True)
    fapiao_waiting = serializers.IntegerField()
    dead_events = serializers.IntegerField()


def _valid(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _plan_out(plan: Plan) -> dict:
    found = selectors.plans_for_staff().get(pk=plan.pk)
    return StaffPlanOut(found).data


def _plan_detail_out(plan: Plan) -> dict:
    roll = selectors.price_roll_of(plan=plan)
    return _plan_out(plan) | {"price_roll": StaffPriceRollOut(roll).data if roll else None}


class Overview(StaffView):
    @extend_schema(responses=StaffOverviewOut, summary="Revenue, companies by status, failures")
    def get(self, request):
        data = selectors.staff_overview()
        counts = {status: 0 for status in BillingStatus.values}
        for account in data["accounts"]:
            counts[billing_status(account)] += 1
        return Response(StaffOverviewOut({
            "mrr_fen": data["mrr_fen"], "by_status": counts,
            "failed_payments": len(data["failed"]), "sponsorships_ending": data["ending"],
            "fapiao_waiting": len(data["fapiao_waiting"]), "dead_events": len(data["dead"]),
        }).data)


class Accounts(StaffView):
    @extend_schema(responses=StaffAccountOut(many=True), summary="Every company's billing")
    def get(self, request):
        accounts = BillingAccount.objects.select_related("plan", "company").order_by(
            "company__name")
        return Response(StaffAccountOut(accounts, many=True).data)


class AccountDetail(StaffView):
    @extend_schema(responses=StaffAccountDetailOut, summary="One company's billing history")
    def get(self, request, account_id: int):
        account = get_object_or_404(BillingAccount.objects.select_related("plan", "company"),
                                    pk=account_id)
        return Response(StaffAccountDetailOut({
            "account": account,
            "invoices": selectors.invoices_with_fapiao_of(company=account.company),
            "sponsorships": account.company.sponsorships.all()}).data)


class AccountSponsor(StaffView):
    @extend_schema(request=StaffSponsorIn, responses={201: StaffSponsorshipOut(many=True)},
                   summary="Sponsor one company for a period (孵化期免费); idempotent")
    def post(self, request, account_id: int):
        account = get_object_or_404(BillingAccount.objects.select_related("company"),
                                    pk=account_id)
        data = _valid(StaffSponsorIn, request.data)
        made = services.sponsorship_grant(companies=[account.company], **data)
        return Response(StaffSponsorshipOut(made, many=True).data,
                        status=status.HTTP_201_CREATED if made else status.HTTP_200_OK)


class AccountGrace(StaffView):
    @extend_schema(request=StaffGraceIn, responses=StaffAccountOut,
                   summary="The grace period (days)")
    def post(self, request, account_id: int):
        account = get_object_or_404(BillingAccount.objects.select_related("company"),
                                    pk=account_id)
        data = _valid(StaffGraceIn, request.data)
        saved = services.grace_days_set(company=account.company, days=data["days"])
        return Response(StaffAccountOut(BillingAccount.objects.select_related("plan", "company")
                                   .get(pk=saved.pk)).data)


class BatchSponsor(StaffView):
    @extend_schema(request=StaffSponsorIn, responses=StaffBatchSponsorOut,
                   summary="Sponsor this batch: every company in it (孵化期免费); idempotent")
    def post(self, request, batch_id: int):
        batch = get_object_or_404(IncubationBatch, pk=batch_id)
        data = _valid(StaffSponsorIn, request.data)
        count, made = onboarding_services.batch_sponsor(batch=batch, **data)
        return Response({"companies": count, "made": made})


class Plans(StaffView):
    @extend_schema(responses=StaffPlanOut(many=True), summary="Every plan")
    def get(self, request):
        return Response(StaffPlanOut(selectors.plans_for_staff(), many=True).data)

    @extend_schema(request=StaffPlanIn, responses={201: StaffPlanOut}, summary="A new plan")
    def post(self, request):
        data = _valid(StaffPlanIn, request.data)
        plan, _roll = services.plan_edit(plan=None, **data)  # a new plan: nothing to roll
        return Response(_plan_out(plan), status=status.HTTP_201_CREATED)


class PlanDetail(StaffView):
    @extend_schema(responses=StaffPlanDetailOut, summary="One plan, with its latest price roll")
    def get(self, request, plan_id: int):
        return Response(_plan_detail_out(get_object_or_404(Plan, pk=plan_id)))

    @extend_schema(request=StaffPlanIn(partial=True), responses=StaffPlanEditOut,
                   summary="Edit a plan: new subscriptions at once, existing ones at renewal")
    def patch(self, request, plan_id: int):
        plan = get_object_or_404(Plan, pk=plan_id)
        current = {name: getattr(plan, name) for name in StaffPlanIn().fields}
        data = _valid(StaffPlanIn, current | dict(request.data.items()) | {"code": plan.code})
        saved, roll = services.plan_edit(plan=plan, **data)
        return Response(_plan_detail_out(saved) | {"price_roll_started": roll is not None})


class PlanPriceRollRetry(StaffView):
    @extend_schema(request=None, responses={202: StaffPriceRollOut},
                   summary="Retry a failed or stalled price roll: only what it has not done")
    def post(self, request, plan_id: int):
        plan = get_object_or_404(Plan, pk=plan_id)
        services.plan_prices_roll_retry(plan=plan)
        return Response(StaffPriceRollOut(selectors.price_roll_of(plan=plan)).data,
                        status=status.HTTP_202_ACCEPTED)
