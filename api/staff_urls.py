"""/api/v1/staff/ on the incubator's own host (included from saas/urls_public.py): staff's
endpoints. The company API (api/urls.py) is on each company's host."""

from django.urls import path

from api import staff_billing

app_name = "staff_api"
urlpatterns = [
    path("billing/", staff_billing.Overview.as_view(), name="billing_overview"),
    path("billing/accounts/", staff_billing.Accounts.as_view(), name="billing_accounts"),
    path("billing/accounts/<int:account_id>/", staff_billing.AccountDetail.as_view(),
         name="billing_account"),
    path("billing/accounts/<int:account_id>/sponsor/", staff_billing.AccountSponsor.as_view(),
         name="billing_account_sponsor"),
    path("billing/accounts/<int:account_id>/grace/", staff_billing.AccountGrace.as_view(),
         name="billing_account_grace"),
    path("billing/batches/<int:batch_id>/sponsor/", staff_billing.BatchSponsor.as_view(),
         name="billing_batch_sponsor"),
    path("billing/plans/", staff_billing.Plans.as_view(), name="billing_plans"),
    path("billing/plans/<int:plan_id>/", staff_billing.PlanDetail.as_view(),
         name="billing_plan"),
    path("billing/plans/<int:plan_id>/price-roll/retry/",
         staff_billing.PlanPriceRollRetry.as_view(), name="billing_plan_roll_retry"),
]
