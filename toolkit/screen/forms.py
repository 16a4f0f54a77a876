from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称（如：一楼大厅屏幕）"), max_length=60)
