from django import forms
from django.utils.translation import gettext_lazy as _

from training.models import Course, OfflineSession
from training.sessions_selectors import batches_for, trainers_for


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("开始时间"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("结束时间"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = OfflineSession
        fields = ["batch", "title", "place", "starts_at", "ends_at", "hours", "trainer", "course"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = batches_for(user=user)
        self.fields["trainer"].queryset = trainers_for(user=user)
        self.fields["trainer"].initial = user.pk
        self.fields["trainer"].label = _("培训师")
        self.fields["batch"].label = _("孵化批次")
        self.fields["course"].queryset = Course.objects.filter(retired_at__isnull=True)
        self.fields["course"].required = False
        self.fields["course"].label = _("关联课程（可选）")


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3}))
