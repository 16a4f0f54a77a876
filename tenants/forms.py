from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Plan


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("公司名称"), max_length=100)
    slug = forms.CharField(label=_("子域名"), max_length=40,
                           help_text=_("小写字母、数字或连字符，例如 yunji-demo"))
    plan = forms.ChoiceField(label=_("套餐"), choices=Plan.choices, initial=Plan.TRIAL)
