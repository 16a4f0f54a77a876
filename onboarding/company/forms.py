from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import OrgUnit, UnitKind


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices, initial=UnitKind.BRANCH)
    name = forms.CharField(label=_("名称"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("例如 第一党支部")}))
    parent = forms.ModelChoiceField(label=_("上级组织"), queryset=OrgUnit.objects.all(),
                                    required=False, empty_label=_("（最上级）"))
    secretary_name = forms.CharField(label=_("书记姓名"), max_length=50, required=False)
    secretary_mobile = forms.CharField(label=_("书记手机号"), max_length=11, required=False)

    def clean(self):
        data = super().clean()
        if data.get("secretary_name") and not data.get("secretary_mobile"):
            self.add_error("secretary_mobile", _("填写书记时请同时填写手机号（用于登录）。"))
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("党员名单（.xlsx 或 .csv）"))
