from django import forms
from django.utils.translation import gettext_lazy

# Far above any real reward; far below the integer columns' limit.
MAX_COST = MAX_STOCK = 100_000


class RewardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("奖品"), max_length=100)
    description = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)
    cost = forms.IntegerField(label=gettext_lazy("所需积分"), min_value=1, max_value=MAX_COST)
    stock = forms.IntegerField(label=gettext_lazy("库存"), min_value=0, max_value=MAX_STOCK)


class RewardEditForm(RewardForm):
    active = forms.BooleanField(label=gettext_lazy("上架"), required=False)
