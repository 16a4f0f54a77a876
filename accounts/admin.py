from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.forms import AdminLoginForm
from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "mobile", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "mobile")
    fieldsets = BaseUserAdmin.fieldsets + ((None, {"fields": ("full_name", "mobile", "role")}),)

# The admin's login refuses an over-long username before django-axes records it.
admin.site.login_form = AdminLoginForm
