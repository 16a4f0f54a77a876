"""套餐与账单 over the API (the company admin only): the billing page's status, the plans for
sale, invoices and payments, 发票 requests, starting a checkout, and the portal's actions
(cancel at the period end, switch plan). The same services, selectors and access rules as
billing/views.py; the company is the host's, never an id.

These endpoints stay open when the paid features pause (no `PaidApi`): paying is how an admin
gets them back (decision 0035)."""

from urllib.parse import quote

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.forms import form_valid
from api.permissions import IsCompanyAdmin, PasswordChangeRequired
from billing import fapiao, portal, selectors, services
from billing.forms import DetailsForm
from billing.gateway import stripe_refusals
from billing.models import BillingStatus, FapiaoKind, Interval

BILLING_ADMIN = [permissions.IsAuthenticated, PasswordChangeRequired, IsCompanyAdmin]


class BillingPlanOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    price_month_fen = serializers.IntegerField()
    price_year_fen = serializers.IntegerField()
    member_limit = serializers.IntegerField()
    storage_quota_bytes = serializers.IntegerField()
    features = serializers.ListField(child=serializers.CharField())


class BillingTermsOut(serializers.Serializer):
    """The terms the company bought (its copy of the plan, until its renewal)."""

    plan = BillingPlanOut()
    interval = serializers.CharField()
    member_limit = serializers.IntegerField()
    storage_quota_bytes = serializers.IntegerField()
    storage_used_bytes = serializers.IntegerField()
    features = serializers.ListField(child=serializers.CharField())
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField()
    grace_days = serializers.IntegerField()
    invoice_title = serializers.CharField()
    tax_id = serializers.CharField()
    invoice_address = serializers.CharField()
    invoice_bank = serializers.CharField()
    email = serializers.CharField()


class BillingStandingOut(serializers.Serializer):
    status = serializers.ChoiceField(choices=BillingStatus.choices)
    status_label = serializers.CharField()
    paused = serializers.BooleanField(help_text="Paid features paused (after the grace period, "
                                                "or nothing paid and nothing sponsored).")
    grace_ends = serializers.DateTimeField(allow_null=True)
    sponsored_until = serializers.DateField(allow_null=True)
    storage_percent = serializers.IntegerField()
    account = BillingTermsOut()


class BillingFapiaoOut(serializers.Serializer):
    id = serializers.IntegerField()
    invoice_id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FapiaoKind.choices)
    title = serializers.CharField()
    tax_id = serializers.CharField()
    requested_at = serializers.DateTimeField()
    issued = serializers.SerializerMethodField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.SerializerMethodField()

    def get_issued(self, obj) -> bool:
        return obj.issued_at is not None

    def get_download_url(self, obj) -> str | None:
        if obj.issued_at is None:
            return None
        return reverse("api:billing_fapiao_download", args=[obj.pk])


class BillingInvoiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField(help_text="Stripe's: draft, open, paid, void, uncollectible.")
    amount_due_fen = serializers.IntegerField()
    amount_paid_fen = serializers.IntegerField()
    payment_failed = serializers.BooleanField()
    created = serializers.DateTimeField()
    hosted_url = serializers.CharField(help_text="Stripe's page for the invoice (may be empty).")
    pdf_url = serializers.CharField(help_text="Stripe's PDF of the invoice (may be empty).")
    paid_by_transfer = serializers.CharField(help_text="The 对公转账 reference, if paid so.")
    fapiao = serializers.SerializerMethodField()

    @extend_schema_field(BillingFapiaoOut(allow_null=True))
    def get_fapiao(self, obj):
        return BillingFapiaoOut(obj.fapiao).data if hasattr(obj, "fapiao") else None


class BillingDetailsIn(serializers.Serializer):
    """Described for the schema; the page's DetailsForm validates (a PATCH starts from the
    current details)."""

    invoice_title = serializers.CharField(required=False, allow_blank=True)
    tax_id = serializers.CharField(required=False, allow_blank=True)
    invoice_address = serializers.CharField(required=False, allow_blank=True)
    invoice_bank = serializers.CharField(required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class BillingPlanChoiceIn(serializers.Serializer):
    plan = serializers.IntegerField(help_text="A plan for sale (GET billing/plans/).")
    interval = serializers.ChoiceField(choices=Interval.choices, default=Interval.MONTH)


class BillingCancelIn(serializers.Serializer):
    cancel = serializers.BooleanField(default=True,
                                      help_text="true: cancel at the period end; false: resume.")


class BillingFapiaoIn(serializers.Serializer):
    invoice = serializers.IntegerField(help_text="A paid invoice of the company.")
    kind = serializers.ChoiceField(choices=FapiaoKind.choices)


class BillingUrlOut(serializers.Serializer):
    url = serializers.CharField(help_text="Where to send the admin: Stripe's page, or the "
                                          "site's local stand-in without a Stripe key.")


def _standing(request) -> dict:
    return BillingStandingOut(selectors.standing(company=request.tenant)).data


def _plan_for_sale(plan_id: int):
    return get_object_or_404(selectors.plans_for_sale(), pk=plan_id)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class Standing(APIView):
    permission_classes = BILLING_ADMIN

    @extend_schema(responses=BillingStandingOut, summary="The company's billing status and terms")
    def get(self, request):
        return Response(_standing(request))


class Details(APIView):
    permission_classes = BILLING_ADMIN

    @extend_schema(request=BillingDetailsIn, responses=BillingStandingOut,
                   summary="The company's 发票 details (抬头, 税号, address, bank, e-mail)")
    @stripe_refusals
    def patch(self, request):
        account = selectors.standing(company=request.tenant).account
        current = {name: getattr(account, name) for name in DetailsForm.Meta.fields}
        data = form_valid(DetailsForm(current | dict(request.data.items()), instance=account))
        services.details_update(company=request.tenant, **data)
        return Response(_standing(request))


class Plans(APIView):
    permission_classes = BILLING_ADMIN

    @extend_schema(responses=BillingPlanOut(many=True), summary="The plans for sale")
    def get(self, request):
        return Response(BillingPlanOut(selectors.plans_for_sale(), many=True).data)


class Invoices(generics.ListAPIView):
    """Stripe's invoices and payments (not 发票), newest first, each with its 发票 request."""

    permission_classes = BILLING_ADMIN
    serializer_class = BillingInvoiceOut

    def get_queryset(self):
        return selectors.invoices_with_fapiao_of(company=self.request.tenant)


class Fapiaos(generics.ListAPIView):
    """发票 requests: GET lists them; POST asks for one against a paid invoice."""

    permission_classes = BILLING_ADMIN
    serializer_class = BillingFapiaoOut

    def get_queryset(self):
        return selectors.fapiaos_of(company=self.request.tenant)

    @extend_schema(request=BillingFapiaoIn, responses={201: BillingFapiaoOut},
                   summary="Ask for a 增值税发票 (普票 or 专票) for a paid invoice")
    def post(self, request):
        data = _valid(BillingFapiaoIn, request.data)
        made = fapiao.fapiao_request(company=request.tenant, invoice_id=data["invoice"],
                                     kind=data["kind"])
        return Response(BillingFapiaoOut(made).data, status=status.HTTP_201_CREATED)


class FapiaoDownload(APIView):
    permission_classes = BILLING_ADMIN

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY, description="The issued 发票's PDF")},
        summary="Download an issued 发票")
    def get(self, request, fapiao_id: int):
        issued = fapiao.fapiao_of(company=request.tenant, fapiao_id=fapiao_id)
        if issued is None:
            raise Http404
        response = FileResponse(issued.pdf.open("rb"), content_type="application/pdf")
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(f'fapiao-{issued.number}.pdf')}")
        return response


class Checkout(APIView):
    permission_classes = BILLING_ADMIN
    throttle_scope = "api-write"

    @extend_schema(request=BillingPlanChoiceIn, responses=BillingUrlOut,
                   summary="Start paying for a plan: where the admin pays")
    @stripe_refusals
    def post(self, request):
        data = _valid(BillingPlanChoiceIn, request.data)
        plan = _plan_for_sale(data["plan"])
        back = request.build_absolute_uri(reverse("billing:overview")) + "?back=1"
        url = services.checkout_start(company=request.tenant, plan=plan,
                                      interval=data["interval"], success_url=back,
                                      cancel_url=back)
        if not url:  # no Stripe key: the site's local checkout page
            url = request.build_absolute_uri(reverse("billing:local_checkout",
                                                     args=[plan.pk, data["interval"]]))
        return Response({"url": url})


class Portal(APIView):
    permission_classes = BILLING_ADMIN

    @extend_schema(responses=BillingUrlOut, summary="Stripe's Customer Portal (change the card, "
                                             "switch plans, cancel), or the local portal page")
    @stripe_refusals
    def get(self, request):
        back = request.build_absolute_uri(reverse("billing:overview")) + "?back=1"
        url = services.portal_url(company=request.tenant, return_url=back)
        return Response({"url": url or request.build_absolute_uri(
            reverse("billing:local_portal"))})


class PortalCancel(APIView):
    permission_classes = BILLING_ADMIN
    throttle_scope = "api-write"

    @extend_schema(request=BillingCancelIn, responses=BillingStandingOut,
                   summary="Cancel at the period end (or resume)")
    @stripe_refusals
    def post(self, request):
        data = _valid(BillingCancelIn, request.data)
        portal.portal_cancel(company=request.tenant, cancel=data["cancel"])
        return Response(_standing(request))


class PortalSwitch(APIView):
    permission_classes = BILLING_ADMIN
    throttle_scope = "api-write"

    @extend_schema(request=BillingPlanChoiceIn, responses=BillingStandingOut,
                   summary="Switch plan or interval (prorated, as Stripe does)")
    @stripe_refusals
    def post(self, request):
        data = _valid(BillingPlanChoiceIn, request.data)
        portal.portal_switch(company=request.tenant, plan=_plan_for_sale(data["plan"]),
                             interval=data["interval"])
        return Response(_standing(request))
