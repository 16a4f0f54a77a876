from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from billing.entitlements import features_now
from billing.models import Feature
from toolkit.org.models import Member
from toolkit.org.selectors import managed_unit_ids, manages_any_unit, member_for_user


class PasswordChangeRequired(permissions.BasePermission):
    """A user whose password an admin reset must choose their own (on the site) first, as the
    pages' PasswordChangeRequiredMiddleware requires; the API answers with a clear code."""

    code = "password_change_required"
    message = _("请先在网站上修改密码。")

    def has_permission(self, request, view):
        return not getattr(request.user, "must_change_password", False)


_MEMBER = Member.user.field.remote_field  # Member.user, seen from the user (user.member)


def _member_of(user):
    """The user's Member row (None for the admin): loaded with a token by the same query
    (api.authentication), else read now (a session's user)."""
    if _MEMBER.is_cached(user):
        return _MEMBER.get_cached_value(user)
    return member_for_user(user=user)


class IsMember(permissions.BasePermission):
    """A signed-in member (toolkit.org.access.member_required); sets request.member."""

    def has_permission(self, request, view):
        request.member = _member_of(request.user)
        return request.member is not None


class IsCompanyUser(permissions.BasePermission):
    """Anyone signed in (toolkit.org.access.company_user_required); request.member may be None."""

    def has_permission(self, request, view):
        request.member = _member_of(request.user)
        return True


class IsManager(permissions.BasePermission):
    """The admin or a secretary (toolkit.org.access.manager_required); sets request.managed."""

    def has_permission(self, request, view):
        if not manages_any_unit(user=request.user):
            return False
        request.managed = managed_unit_ids(user=request.user)
        return True


class IsCompanyAdmin(permissions.BasePermission):
    """The company's admin only (core.decorators.company_admin_required)."""

    def has_permission(self, request, view):
        return request.user.is_company_admin or request.user.is_superuser


class PaidApi(permissions.BasePermission):
    """The API is a paid feature: paused after the grace period (billing.entitlements; the
    answer is remembered per company, as every API request asks it)."""

    code = "paid_feature_paused"
    message = _("开放接口已暂停：请管理员在“套餐与账单”续费或升级套餐。")

    def has_permission(self, request, view):
        return Feature.API in features_now(request.tenant)


MANAGER = [permissions.IsAuthenticated, PaidApi, PasswordChangeRequired, IsManager]
MEMBER = [permissions.IsAuthenticated, PaidApi, PasswordChangeRequired, IsMember]
COMPANY_USER = [permissions.IsAuthenticated, PaidApi, PasswordChangeRequired, IsCompanyUser]
ADMIN = [permissions.IsAuthenticated, PaidApi, PasswordChangeRequired, IsCompanyAdmin]
