from django.urls import path

from toolkit.mall import views

app_name = "mall"
urlpatterns = [
    path("", views.mall, name="index"),
    path("<int:reward_id>/redeem/", views.redeem, name="redeem"),
    path("manage/", views.manage, name="manage"),
    path("rewards/<int:reward_id>/edit/", views.reward_edit, name="edit"),
    path("redemptions/<int:redemption_id>/fulfil/", views.fulfil, name="fulfil"),
]
