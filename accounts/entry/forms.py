from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(label=_("激活码"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters",
               "placeholder": _("例如 ABCDE-FGHJK")}))


class MobileForm(forms.Form):
    mobile = forms.CharField(label=_("手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))


class NewMobileForm(forms.Form):
    mobile = forms.CharField(label=_("新手机号"), max_length=20, widget=forms.TextInput(
        attrs={"inputmode": "tel", "autocomplete": "tel"}))
    # A phone left signed in must not be enough to move the account to another number.
    password = forms.CharField(label=_("当前密码"), strip=False, max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))


class SmsCodeForm(forms.Form):
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, widget=forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))


class NewPasswordForm(SmsCodeForm):
    """The SMS code and a new password twice; the password rules are checked by the service
    (django's validators), whose messages land on password2."""

    password1 = forms.CharField(label=_("新密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入新密码"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data
