"""On the incubator's site: the webhook endpoint and staff's billing pages."""

from django.urls import path

from billing import public_views as views

app_name = "billing_staff"
urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("", views.staff_overview, name="overview"),
    path("companies/<int:account_id>/", views.staff_company, name="company"),
    path("companies/<int:account_id>/grace/", views.staff_grace, name="grace"),
    path("companies/<int:account_id>/sponsor/", views.staff_sponsor, name="sponsor"),
    path("plans/", views.staff_plans, name="plans"),
    path("plans/new/", views.staff_plan_edit, name="plan_new"),
    path("plans/<int:plan_id>/", views.staff_plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/roll/retry/", views.staff_plan_roll_retry, name="plan_roll_retry"),
    path("invoices/<int:invoice_id>/transfer/", views.staff_transfer, name="transfer"),
    path("fapiao/<int:fapiao_id>/issue/", views.staff_fapiao_issue, name="fapiao_issue"),
    path("events/<int:event_id>/retry/", views.staff_event_retry, name="event_retry"),
]
