"""Member-facing pages: activation, the forgotten password, 我的账号 (mobile change)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts import activation as activating
from accounts import self_service
from accounts.codes import AccountRefused
from accounts.company_hint import company_hint_set
from accounts.entry.forms import CodeForm, MobileForm, NewMobileForm, NewPasswordForm, SmsCodeForm
from accounts.passwords import PasswordRefused
from core.client_ip import client_ip

BACKEND = "django.contrib.auth.backends.ModelBackend"
ACTIVATION_KEY, RESET_KEY, NEW_MOBILE_KEY = "activation_id", "reset_mobile", "new_mobile"


def masked(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) == 11 else mobile


@never_cache
def activate_start(request):
    """Type the code from the printed sheet (or the SMS)."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _open(request, form.cleaned_data["code"], form)
    return render(request, "accounts/activate_start.html", {"form": form})


@never_cache
def activate_link(request, code):
    """The link in the e-mail, the SMS or the QR code. The code leaves the address bar at once
    (the session holds which activation is open), so it is not left in the phone's history."""
    return _open(request, code, CodeForm(initial={"code": code}))


def _open(request, code, form):
    try:
        activation = activating.activation_open(code=code, ip=client_ip(request))
    except AccountRefused as refusal:
        return render(request, "accounts/activate_start.html",
                      {"form": form, "refusal": str(refusal)}, status=400)
    request.session[ACTIVATION_KEY] = activation.pk
    return redirect("accounts:activate_confirm")


@never_cache
@sensitive_post_parameters("password1", "password2", "sms_code")
def activate_confirm(request):
    """Confirm the number with an SMS code and choose a password; then signed in."""
    try:
        activation = activating.activation_get(activation_id=request.session.get(ACTIVATION_KEY))
    except AccountRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("accounts:activate")
    member = activation.user
    form = NewPasswordForm(request.POST if request.POST.get("action") == "activate" else None)
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            activating.activation_sms_send(activation=activation, ip=client_ip(request))
            messages.success(request, _("验证码已发送至 %(mobile)s。") % {
                "mobile": masked(member.mobile)})
        except AccountRefused as refusal:
            messages.error(request, str(refusal))
        return redirect("accounts:activate_confirm")
    if form.is_bound and form.is_valid():
        try:
            user = activating.member_activate(
                activation_id=activation.pk, sms_code=form.cleaned_data["sms_code"],
                password=form.cleaned_data["password1"], ip=client_ip(request))
        except AccountRefused as refusal:
            form.add_error("sms_code", str(refusal))
        except PasswordRefused as refusal:
            form.add_error("password2", refusal.fields["password"])
        else:
            login(request, user, backend=BACKEND)  # a new session key (login cycles it)
            request.session.pop(ACTIVATION_KEY, None)  # its data stays: drop what is spent
            messages.success(request, _("账号已激活，欢迎！以后请用手机号和新密码登录。"))
            response = redirect("home")
            company_hint_set(request=request, response=response)
            return response
    return render(request, "accounts/activate_confirm.html", {
        "form": form, "member": member, "mobile": masked(member.mobile)})


@never_cache
def password_forgot(request):
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mobile = self_service.password_reset_request(mobile=form.cleaned_data["mobile"],
                                                         ip=client_ip(request))
        except AccountRefused as refusal:
            form.add_error("mobile", str(refusal))
        else:
            request.session[RESET_KEY] = mobile
            # The same words whether or not the number is known here.
            messages.success(request, _("如果 %(mobile)s 是本单位登记的手机号，验证码已发送。") % {
                "mobile": masked(mobile)})
            return redirect("accounts:password_reset")
    return render(request, "accounts/password_forgot.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2", "sms_code")
def password_reset(request):
    mobile = request.session.get(RESET_KEY)
    if not mobile:
        return redirect("accounts:password_forgot")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = self_service.password_reset(
                mobile=mobile, sms_code=form.cleaned_data["sms_code"],
                password=form.cleaned_data["password1"], ip=client_ip(request))
        except AccountRefused as refusal:
            form.add_error("sms_code", str(refusal))
        except PasswordRefused as refusal:
            form.add_error("password2", refusal.fields["password"])
        else:
            login(request, user, backend=BACKEND)
            request.session.pop(RESET_KEY, None)
            messages.success(request, _("密码已重新设置。"))
            response = redirect("home")
            company_hint_set(request=request, response=response)
            return response
    return render(request, "accounts/password_reset.html", {"form": form,
                                                            "mobile": masked(mobile)})


@login_required
@never_cache
def account(request):
    """我的账号: who I am, and my mobile number (changed with a code sent to the new one).
    More sections (password change) sit below it."""
    pending = request.session.get(NEW_MOBILE_KEY)
    mobile_form = NewMobileForm(request.POST if request.POST.get("action") == "mobile" else None)
    code_form = SmsCodeForm(request.POST if request.POST.get("action") == "confirm" else None)
    if mobile_form.is_bound and mobile_form.is_valid():
        try:
            pending = self_service.mobile_change_request(
                user=request.user, mobile=mobile_form.cleaned_data["mobile"],
                password=mobile_form.cleaned_data["password"], ip=client_ip(request))
        except self_service.WrongPassword as refusal:
            mobile_form.add_error("password", str(refusal))
        except AccountRefused as refusal:
            mobile_form.add_error("mobile", str(refusal))
        else:
            request.session[NEW_MOBILE_KEY] = pending  # the page now asks for the code
            return redirect("accounts:account")
    if code_form.is_bound and code_form.is_valid() and pending:
        try:
            self_service.mobile_change(user=request.user, mobile=pending,
                                       sms_code=code_form.cleaned_data["sms_code"],
                                       ip=client_ip(request))
        except AccountRefused as refusal:
            code_form.add_error("sms_code", str(refusal))
        else:
            request.session.pop(NEW_MOBILE_KEY, None)
            messages.success(request, _("手机号已更换为 %(mobile)s，以后请用新手机号登录。") % {
                "mobile": pending})
            return redirect("accounts:account")
    if request.method == "POST" and request.POST.get("action") == "cancel":
        request.session.pop(NEW_MOBILE_KEY, None)
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {
        "mobile_form": mobile_form, "code_form": code_form,
        "pending": masked(pending) if pending else ""})
