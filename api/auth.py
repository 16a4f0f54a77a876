"""Logging in through the API: mobile and password, one knox token per device.

It is the page's login: the same form (accounts.forms.LoginForm, so a deactivated member gets
the same message), authenticate() with the request (django-axes counts and locks out the same
(username, IP) pair), and the same per-IP failure throttle (core.login_throttle)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.forms import LoginForm
from api.authentication import TokenAuthentication
from api.errors import error_body
from core.login_throttle import login_spent


class LoginIn(serializers.Serializer):
    mobile = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginOut(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)


def _refusal(code: str, message: str, http_status: int, fields: dict | None = None) -> Response:
    return Response(error_body(code=code, message=message, fields=fields), status=http_status)


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "api-login"

    @extend_schema(request=LoginIn, responses={200: LoginOut}, summary="Log in (one device)")
    def post(self, request):
        django_request = request._request
        if login_spent(django_request):
            return _refusal("too_many_attempts", _("尝试次数过多，请稍后再试。"),
                            status.HTTP_429_TOO_MANY_REQUESTS)
        data = LoginIn(data=request.data)
        data.is_valid(raise_exception=True)
        form = LoginForm(django_request, data={"username": data.validated_data["mobile"],
                                               "password": data.validated_data["password"]})
        if not form.is_valid():
            # A lockout is answered by django-axes' middleware (accounts.lockouts, JSON here).
            error = form.non_field_errors().as_data()
            code = error[0].code if error else "invalid"
            return _refusal(code or "invalid_login",
                            error[0].messages[0] if error else _("手机号或密码不正确。"),
                            status.HTTP_400_BAD_REQUEST)
        user = form.get_user()
        if user.must_change_password:
            return _refusal("password_change_required", _("请先在网站上修改密码。"),
                            status.HTTP_403_FORBIDDEN)
        # Live tokens only (knox's own rule): a device that went silent does not count, and
        # its token goes now (knox swept them on every request; api/authentication.py).
        now = timezone.now()
        get_token_model().objects.filter(user=user, expiry__lte=now).delete()
        tokens = get_token_model().objects.filter(user=user, expiry__gt=now)
        limit = knox_settings.TOKEN_LIMIT_PER_USER
        if limit is not None and tokens.count() >= limit:
            return _refusal("too_many_devices",
                            _("登录的设备太多，请先在其他设备上退出。"), status.HTTP_403_FORBIDDEN)
        instance, token = get_token_model().objects.create(user, knox_settings.TOKEN_TTL)
        # last_login, and django-axes forgets the pair's earlier typos (AXES_RESET_ON_SUCCESS).
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="Log out this device")
    def post(self, request):
        request._auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request,
                             user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="Log out every device")
    def post(self, request):
        get_token_model().objects.filter(user=request.user).delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request,
                             user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


