from django.urls import path

from toolkit.points import views

app_name = "points"
urlpatterns = [
    path("", views.leaderboard, name="leaderboard"),
    path("mine/", views.my_points, name="mine"),
    path("rules/", views.rules, name="rules"),
    path("rules/correct/", views.correct, name="correct"),
    path("verify/", views.verify, name="verify"),
]
