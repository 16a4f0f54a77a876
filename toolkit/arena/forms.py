from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.org.models import OrgUnit


class TaskForm(forms.Form):
    publisher = forms.ModelChoiceField(label=_("发布组织"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("任务"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.IntegerField(label=_("积分"), min_value=1, max_value=1000, initial=10)
    places = forms.IntegerField(label=_("名额"), min_value=1, max_value=1000, initial=1)
    deadline = forms.DateTimeField(label=_("截止时间"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = OrgUnit.objects.filter(pk__in=unit_ids)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); content is checked later."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class SubmitForm(forms.Form):
    text = forms.CharField(label=_("完成情况"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("材料（图片或 PDF，每个不超过 5 MB）"), required=False)


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)
