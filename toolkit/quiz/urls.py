from django.urls import path

from toolkit.quiz import views, views_duels, views_manage

app_name = "quiz"
urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/<int:round_id>/start/", views.start, name="start"),
    path("rounds/<int:round_id>/play/", views.play, name="play"),
    path("rounds/<int:round_id>/result/", views.result, name="result"),
    path("duels/new/", views_duels.create, name="duel_create"),
    path("duels/<int:duel_id>/", views_duels.duel_page, name="duel"),
    path("duels/<int:duel_id>/join/", views_duels.join, name="duel_join"),
    path("duels/<int:duel_id>/state/", views_duels.state, name="duel_state"),
    path("duels/<int:duel_id>/answer/", views_duels.answer, name="duel_answer"),
    path("manage/", views_manage.manage, name="manage"),
    path("manage/questions/new/", views_manage.question_add, name="question_add"),
    path("manage/questions/<int:question_id>/retire/", views_manage.question_retire,
         name="question_retire"),
    path("manage/import/", views_manage.bank_import, name="import"),
    path("manage/template.xlsx", views_manage.bank_template, name="template"),
    path("manage/rounds/new/", views_manage.round_publish, name="round_publish"),
]
