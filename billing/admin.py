"""Staff edit plans and sponsored periods here (the Django admin on the incubator's site).
A plan's change reaches new subscriptions at once and existing ones at their renewal."""

from django.contrib import admin

from billing.models import Plan, SponsoredPeriod


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "price_month_fen", "price_year_fen", "member_limit",
                    "storage_quota_bytes", "is_public", "sort")
    list_editable = ("is_public", "sort")


@admin.register(SponsoredPeriod)
class SponsoredPeriodAdmin(admin.ModelAdmin):
    list_display = ("company", "kind", "starts_on", "ends_on", "note")
    list_filter = ("kind",)
    search_fields = ("company__name",)
