"""The trainers' workspace (public site): the home page, the catalogue and the course editor."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import trainer_required
from core.errors import Refused, refusal_to_form
from training import selectors, services
from training.forms import ChapterForm, CourseFilterForm, CourseForm, LessonForm, PublishForm
from training.models import Chapter, Course, CourseVersion, Lesson, LessonKind, VersionStatus
from training.rollup_selectors import rollup_by_course


@trainer_required
def home(request):
    companies = selectors.companies_visible(user=request.user)
    return render(request, "training/home.html", {
        "batches": selectors.batches_visible(user=request.user),
        "company_count": companies.count(),
        "course_count": selectors.courses(retired=False).count(),
        "rollup": rollup_by_course(companies=companies)[:6],
        "sees_everything": selectors.sees_everything(user=request.user),
    })


@trainer_required
def course_list(request):
    filters = CourseFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    retired = {"yes": True, "all": None}.get(criteria.get("retired"), False)
    found = selectors.courses(category=criteria.get("category", ""), tag=criteria.get("tag", ""),
                              q=criteria.get("q", ""), retired=retired)
    page = Paginator(found, 30).get_page(request.GET.get("page"))
    return render(request, "training/course_list.html", {"filters": filters, "page": page})


@trainer_required
def course_new(request):
    form = CourseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(by=request.user, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            return redirect("training:course_detail", course_id=course.pk)
    return render(request, "training/course_form.html", {"form": form}, status=_status(form))


@trainer_required
def course_edit(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    initial = {name: getattr(course, name)
               for name in ("title", "category", "tags", "summary", "open_to_adopt")}
    form = CourseForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            return redirect("training:course_detail", course_id=course.pk)
    return render(request, "training/course_form.html", {"form": form, "course": course},
                  status=_status(form))


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@trainer_required
def course_detail(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    versions = list(course.versions.all())
    shown = _version_shown(request, course, versions)
    lessons = list(selectors.lessons_of(version=shown)) if shown else []
    chapters = list(shown.chapters.all()) if shown else []
    for chapter in chapters:
        chapter.lesson_rows = [lesson for lesson in lessons if lesson.chapter_id == chapter.pk]
    editable = shown is not None and shown.status == VersionStatus.DRAFT
    return render(request, "training/course_detail.html", {
        "course": course, "versions": versions, "shown": shown, "chapters": chapters,
        "editable": editable, "kinds": LessonKind.choices,
        "problems": services.version_problems(version=shown) if editable else [],
        "hours": sum(lesson.hours for lesson in lessons),
        "chapter_form": ChapterForm(), "publish_form": PublishForm(),
        "deliveries": selectors.deliveries_shown(user=request.user, course=course, limit=20),
        "published": selectors.version_published_latest(course=course),
    })


def _version_shown(request, course, versions) -> CourseVersion | None:
    wanted = request.GET.get("v", "")
    if wanted.isdigit():
        chosen = next((v for v in versions if str(v.number) == wanted), None)
        if chosen:
            return chosen
    draft = next((v for v in versions if v.status == VersionStatus.DRAFT), None)
    return draft or (versions[0] if versions else None)


@trainer_required
@require_POST
def course_draft(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    draft = services.course_draft(course=course)
    messages.success(request,
                     _("已生成草稿 v%(n)s，修改后发布即成为新版本。") % {"n": draft.number})
    return redirect("training:course_detail", course_id=course.pk)


@trainer_required
@require_POST
def course_publish(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    form = PublishForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = services.course_publish(course=course, by=request.user, note=note)
    messages.success(request, _("已发布 v%(n)s。") % {"n": version.number})
    return redirect("training:course_detail", course_id=course.pk)


@trainer_required
@require_POST
def course_retire(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    if request.POST.get("restore"):
        services.course_restore(course=course)
        messages.success(request, _("课程已恢复。"))
    else:
        services.course_retire(course=course)
        messages.success(request, _("课程已停用：不能再下发或自选，已开始学习的人仍可学完。"))
    return redirect("training:course_detail", course_id=course.pk)


@trainer_required
@require_POST
def chapter_add(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    form = ChapterForm(request.POST)
    if form.is_valid():
        services.chapter_save(version=services.course_draft(course=course),
                              title=form.cleaned_data["title"])
    else:
        messages.error(request, _("请填写章节名称（不超过 100 字）。"))
    return redirect("training:course_detail", course_id=course.pk)


@trainer_required
@require_POST
def chapter_change(request, chapter_id):
    """Rename, move up or down, or remove a chapter of a draft (the button says which)."""
    chapter = get_object_or_404(Chapter.objects.select_related("version"), pk=chapter_id)
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        services.chapter_move(chapter=chapter, up=action == "up")
    elif action == "remove":
        services.chapter_remove(chapter=chapter)
    else:
        form = ChapterForm(request.POST)
        if form.is_valid():
            services.chapter_save(version=chapter.version, chapter=chapter,
                                  title=form.cleaned_data["title"])
        else:
            messages.error(request, _("请填写章节名称（不超过 100 字）。"))
    return redirect("training:course_detail", course_id=chapter.version.course_id)


@trainer_required
@require_POST
def lesson_change(request, lesson_id):
    lesson = get_object_or_404(Lesson.objects.select_related("chapter__version"), pk=lesson_id)
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        services.lesson_move(lesson=lesson, up=action == "up")
    elif action == "remove":
        services.lesson_remove(lesson=lesson)
    return redirect("training:course_detail", course_id=lesson.chapter.version.course_id)


@trainer_required
def lesson_new(request, chapter_id, kind):
    chapter = get_object_or_404(Chapter.objects.select_related("version__course"), pk=chapter_id)
    if kind not in LessonKind.values:
        raise Http404
    return _lesson_form(request, chapter, kind, None)


@trainer_required
def lesson_edit(request, lesson_id):
    lesson = get_object_or_404(Lesson.objects.select_related("chapter__version__course"),
                               pk=lesson_id)
    return _lesson_form(request, lesson.chapter, lesson.kind, lesson)


def _lesson_form(request, chapter, kind, lesson):
    pool = selectors.questions()
    initial = {}
    if lesson is not None:
        initial = {name: getattr(lesson, name) for name in (
            "title", "hours", "body_html", "question_count", "time_limit_minutes", "pass_score",
            "attempts_allowed")}
        initial["questions"] = list(lesson.questions.values_list("pk", flat=True))
    form = LessonForm(request.POST or None, request.FILES or None, kind=kind, initial=initial,
                      question_choices=pool, editing=lesson is not None and bool(lesson.media))
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_save(chapter=chapter, kind=kind, lesson=lesson, **form.cleaned_data)
        except Refused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("课时已保存。"))
            return redirect("training:course_detail", course_id=chapter.version.course_id)
    return render(request, "training/lesson_form.html", {
        "form": form, "chapter": chapter, "lesson": lesson, "kind": LessonKind(kind),
        "course": chapter.version.course,
        "editable": chapter.version.status == VersionStatus.DRAFT,
    }, status=_status(form))


@trainer_required
def lesson_media(request, lesson_id):
    """The trainer's preview of a lesson's file (members open it through their company's site,
    which checks the course is theirs)."""
    lesson = get_object_or_404(Lesson, pk=lesson_id)
    if not lesson.media:
        raise Http404
    try:
        handle = lesson.media.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, content_type=lesson.media_type or "application/octet-stream")


@trainer_required
def course_cover(request, course_id):
    course = get_object_or_404(Course, pk=course_id)
    if not course.cover:
        raise Http404
    try:
        return FileResponse(course.cover.open("rb"))
    except FileNotFoundError as error:
        raise Http404 from error
