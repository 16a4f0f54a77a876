from django import forms
from django.utils.translation import gettext_lazy as _

from toolkit.learning.models import MemberLesson, MemberLessonStatus


class MemberLessonForm(forms.ModelForm):
    media = forms.FileField(label=_("视频或音频文件"),
                            help_text=_("手机录制的视频或音频，不超过 20 分钟。"),
                            widget=forms.ClearableFileInput(attrs={"accept": "video/*,audio/*"}))

    class Meta:
        model = MemberLesson
        fields = ["title", "topic", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class MemberLessonResubmitForm(forms.ModelForm):
    """A returned lesson's words, mended by its lecturer (the recording stays)."""

    class Meta:
        model = MemberLesson
        fields = ["title", "topic", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[
        (MemberLessonStatus.APPROVED, _("通过并发布")),
        (MemberLessonStatus.RETURNED, _("退回修改")),
        (MemberLessonStatus.REJECTED, _("不通过"))])
    note = forms.CharField(label=_("理由"), max_length=300, required=False)
