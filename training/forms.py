from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from training.models import Audience, Category, Course, LessonKind, QuestionKind
from training.positions import Position
from training.question_check import LETTERS
from training.selectors import Batch

_title = Course._meta.get_field("title").max_length
_tags = Course._meta.get_field("tags").max_length


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("类别"), required=False,
                                 choices=[("", _("全部类别")), *Category.choices])
    tag = forms.CharField(label=_("标签"), required=False, max_length=50)
    retired = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("", _("使用中")), ("yes", _("已停用")), ("all", _("全部"))])


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=_title)
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    tags = forms.CharField(label=_("标签"), max_length=_tags, required=False,
                           help_text=_("多个标签用逗号分隔"))
    summary = forms.CharField(label=_("简介"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    open_to_adopt = forms.BooleanField(label=_("允许公司自选"), required=False, initial=True)
    cover = forms.FileField(label=_("封面"), required=False,
                            help_text=_("JPEG、PNG 或 WebP，不超过 5 MB"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("章节名称"), max_length=100)


class PublishForm(forms.Form):
    note = forms.CharField(label=_("版本说明"), max_length=200, required=False)


ACCEPT = {LessonKind.VIDEO: "video/*", LessonKind.AUDIO: "audio/*",
          LessonKind.DOCUMENT: "application/pdf"}
HELP = {LessonKind.VIDEO: _("MP4 或 WebM，不超过 500 MB；时长自动读取"),
        LessonKind.AUDIO: _("MP3、M4A、OGG 等，不超过 100 MB；时长自动读取"),
        LessonKind.DOCUMENT: _("PDF（课件请另存为 PDF），不超过 50 MB")}


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"［{obj.get_kind_display()}］{obj.text[:60]}"


class LessonForm(forms.Form):
    """The fields of one lesson kind: the kind is chosen before the form opens."""

    title = forms.CharField(label=_("课时名称"), max_length=100)
    hours = forms.DecimalField(label=_("学时"), min_value=Decimal(0), max_value=Decimal(99),
                               max_digits=4, decimal_places=1, initial=Decimal("0.5"))

    def __init__(self, *args, kind: str, question_choices=None, editing: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind in ACCEPT:
            self.fields["upload"] = forms.FileField(
                label=_("文件"), required=not editing, help_text=HELP[kind],
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT[kind]}))
        if kind == LessonKind.TEXT:
            self.fields["body_html"] = forms.CharField(
                label=_("正文"), max_length=200_000, widget=forms.Textarea(attrs={"rows": 12}),
                help_text=_("可使用 HTML（段落、标题、列表、表格、图片链接）；脚本和样式会被去掉"))
        if kind in (LessonKind.QUIZ, LessonKind.EXAM):
            self.fields["questions"] = QuestionChoiceField(
                label=_("题库"), queryset=question_choices, widget=forms.CheckboxSelectMultiple)
            self.fields["question_count"] = forms.IntegerField(label=_("抽题数"), min_value=1,
                                                               max_value=200, initial=5)
            self.fields["time_limit_minutes"] = forms.IntegerField(
                label=_("限时（分钟）"), min_value=1, max_value=600, required=False,
                help_text=_("不填为不限时"))
            self.fields["pass_score"] = forms.IntegerField(label=_("及格分"), min_value=0,
                                                           max_value=100, initial=60)
            self.fields["attempts_allowed"] = forms.IntegerField(
                label=_("可考次数"), min_value=1, max_value=99, required=False,
                help_text=_("不填为不限次数"))


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("题型"), required=False,
                             choices=[("", _("全部题型")), *QuestionKind.choices])
    category = forms.ChoiceField(label=_("类别"), required=False,
                                 choices=[("", _("全部类别")), *Category.choices])
    tag = forms.CharField(label=_("标签"), required=False, max_length=50)
    retired = forms.BooleanField(label=_("只看已停用"), required=False)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题干"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label=_("选项"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("选择题每行一个选项，依次为 %(letters)s；判断题和填空题不填") % {
            "letters": "、".join(LETTERS)})
    answer = forms.CharField(label=_("答案"), max_length=500, help_text=_(
        "单选如 B；多选如 A,C；判断填 对 或 错；填空的多个可接受答案用 | 分隔"))
    explanation = forms.CharField(label=_("解析"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    tags = forms.CharField(label=_("标签"), required=False, max_length=200)


class QuestionImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件（.xlsx）"), widget=forms.ClearableFileInput(
        attrs={"accept": ".xlsx"}))


class DeliveryForm(forms.Form):
    batches = forms.ModelMultipleChoiceField(label=_("批次"), queryset=Batch.objects.none(),
                                             required=False, widget=forms.CheckboxSelectMultiple)
    companies = forms.ModelMultipleChoiceField(label=_("公司"), queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple,
                                               help_text=_("批次中的公司都会收到；也可单独选择公司"))
    audience = forms.ChoiceField(label=_("对象"), choices=Audience.choices,
                                 widget=forms.RadioSelect, initial=Audience.ALL)
    positions = forms.MultipleChoiceField(label=_("职务"), choices=Position.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple,
                                          help_text=_("对象为“指定职务”时选择"))
    opens_on = forms.DateField(label=_("开放日期"), widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    due_on = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"))
    required = forms.BooleanField(label=_("必修"), required=False, initial=True)

    def __init__(self, *args, batches, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["batches"].queryset = batches
        self.fields["companies"].queryset = companies


class TrainerForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11,
                             widget=forms.TextInput(attrs={"type": "tel"}),
                             help_text=_("培训师用手机号登录"))
    email = forms.EmailField(label=_("电子邮件"), required=False)


class TrainerBatchesForm(forms.Form):
    batches = forms.ModelMultipleChoiceField(label=_("负责的批次"), queryset=Batch.objects.all(),
                                             required=False, widget=forms.CheckboxSelectMultiple)


class RollupFilterForm(forms.Form):
    course = forms.ModelChoiceField(label=_("课程"), queryset=Course.objects.all(),
                                    required=False, empty_label=_("全部课程"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
