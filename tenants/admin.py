from django.contrib import admin
from django_tenants.admin import TenantAdminMixin

from tenants.models import Company, Domain, SpareSchema


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Company)
class CompanyAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "slug", "status", "plan", "created_at")
    list_filter = ("status", "plan")
    search_fields = ("name", "slug")
    # Status changes go through the lifecycle service (the staff company page), not the admin.
    readonly_fields = ("schema_name", "status", "provision_progress", "provision_step",
                       "provision_error", "provision_ms", "activated_at")
    inlines = [DomainInline]


@admin.register(SpareSchema)
class SpareSchemaAdmin(admin.ModelAdmin):
    list_display = ("name", "created_at")
