"""The catalogue in Django's admin, for staff who need to look behind the pages. Nothing here
deletes: catalogue rows are retired, never removed (companies point at them)."""

from django.contrib import admin

from training.models import (
    BatchTrainer,
    Chapter,
    Course,
    CourseVersion,
    Delivery,
    Lesson,
    Question,
)


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Course)
class CourseAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["title", "category", "open_to_adopt", "created_at", "retired_at"]
    list_filter = ["category", "open_to_adopt"]
    search_fields = ["title", "tags"]


@admin.register(CourseVersion)
class CourseVersionAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["course", "number", "status", "published_at"]
    list_filter = ["status"]
    readonly_fields = ["course", "number", "status", "published_at", "published_by"]


@admin.register(Chapter)
class ChapterAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["title", "version", "order"]
    readonly_fields = ["version"]


@admin.register(Lesson)
class LessonAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["title", "kind", "chapter", "hours", "duration_seconds", "uid"]
    list_filter = ["kind"]
    search_fields = ["title"]
    readonly_fields = ["uid", "chapter", "media", "media_type", "media_bytes", "duration_seconds",
                       "page_count"]


@admin.register(Question)
class QuestionAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["__str__", "kind", "category", "retired_at"]
    list_filter = ["kind", "category"]
    search_fields = ["text"]
    readonly_fields = ["replaced_by"]


@admin.register(Delivery)
class DeliveryAdmin(NoDelete, admin.ModelAdmin):
    list_display = ["course", "audience", "opens_on", "due_on", "required", "withdrawn_at"]
    list_filter = ["required", "audience"]


@admin.register(BatchTrainer)
class BatchTrainerAdmin(admin.ModelAdmin):
    list_display = ["trainer", "batch"]
