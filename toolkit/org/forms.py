from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ActivationChannel
from toolkit.org.models import Gender, MemberStatus, OrgUnit, Position
from toolkit.org.selectors import AccountState

STATE_CHOICES = [("", _("全部状态")), (AccountState.ACTIVE, _("正常")),
                 (AccountState.DEACTIVATED, _("已停用")),
                 (AccountState.MUST_CHANGE, _("待修改密码"))]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或手机号"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("姓名或手机号")}))
    unit = forms.ModelChoiceField(label=_("所在组织"), queryset=OrgUnit.objects.all(),
                                  required=False, empty_label=_("全部组织"),
                                  widget=forms.Select(attrs={"aria-label": _("所在组织")}))
    state = forms.ChoiceField(label=_("账号状态"), choices=STATE_CHOICES, required=False,
                              widget=forms.Select(attrs={"aria-label": _("账号状态")}))


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    gender = forms.ChoiceField(label=_("性别"), required=False,
                               choices=[("", "—")] + Gender.choices)
    status = forms.ChoiceField(label=_("政治面貌"), choices=MemberStatus.choices)
    position = forms.ChoiceField(label=_("职务"), choices=Position.choices)

    @classmethod
    def initial_for(cls, member) -> dict:
        user = member.user
        return {"full_name": user.full_name, "mobile": user.mobile, "email": user.email,
                "gender": member.gender, "status": member.status, "position": member.position}


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("临时密码"), required=False, strip=False,
        help_text=_("留空则由系统生成一个。成员下次登录时必须修改。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}))


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("调往"), queryset=OrgUnit.objects.all())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class InviteForm(forms.Form):
    """Whom to invite (one member, a unit with the units under it, or everyone not yet in)
    and how."""

    channel = forms.ChoiceField(choices=ActivationChannel.choices)
    member = forms.IntegerField(required=False)
    unit = forms.IntegerField(required=False)
