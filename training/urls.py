from django.urls import path

from training import views, views_delivery, views_offered, views_questions, views_trainers

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:course_id>/", views.course_detail, name="course_detail"),
    path("courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:course_id>/cover/", views.course_cover, name="course_cover"),
    path("courses/<int:course_id>/draft/", views.course_draft, name="course_draft"),
    path("courses/<int:course_id>/publish/", views.course_publish, name="course_publish"),
    path("courses/<int:course_id>/retire/", views.course_retire, name="course_retire"),
    path("courses/<int:course_id>/chapters/", views.chapter_add, name="chapter_add"),
    path("courses/<int:course_id>/deliver/", views_delivery.delivery_new, name="delivery_new"),
    path("chapters/<int:chapter_id>/", views.chapter_change, name="chapter_change"),
    path("chapters/<int:chapter_id>/lessons/<slug:kind>/", views.lesson_new, name="lesson_new"),
    path("lessons/<int:lesson_id>/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:lesson_id>/change/", views.lesson_change, name="lesson_change"),
    path("lessons/<int:lesson_id>/media/", views.lesson_media, name="lesson_media"),
    path("questions/", views_questions.question_list, name="question_list"),
    path("questions/new/", views_questions.question_edit, name="question_new"),
    path("questions/import/", views_questions.question_import, name="question_import"),
    path("questions/template.xlsx", views_questions.question_template,
         name="question_template"),
    path("questions/<int:question_id>/", views_questions.question_edit, name="question_edit"),
    path("questions/<int:question_id>/retire/", views_questions.question_retire,
         name="question_retire"),
    path("deliveries/", views_delivery.delivery_list, name="delivery_list"),
    path("deliveries/<int:delivery_id>/withdraw/", views_delivery.delivery_withdraw,
         name="delivery_withdraw"),
    path("rollups/", views_delivery.rollups, name="rollups"),
    path("rollups/export.xlsx", views_delivery.rollups_export, name="rollups_export"),
    path("trainers/", views_trainers.trainer_list, name="trainer_list"),
    path("trainers/<int:trainer_id>/", views_trainers.trainer_detail, name="trainer_detail"),
    path("trainers/<int:trainer_id>/password/", views_trainers.trainer_password_reset,
         name="trainer_password_reset"),
    # Member lessons companies offered up (共享党课), branch sharedlessons
    path("offered/", views_offered.offered_list, name="offered"),
    path("offered/<int:offer_id>/adopt/", views_offered.offered_adopt, name="offered_adopt"),
]
