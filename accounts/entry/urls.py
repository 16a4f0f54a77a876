from django.urls import path

from accounts.entry import views

app_name = "accounts"
urlpatterns = [
    path("activate/", views.activate_start, name="activate"),
    path("activate/confirm/", views.activate_confirm, name="activate_confirm"),
    path("activate/<str:code>/", views.activate_link, name="activate_link"),
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("password/forgot/reset/", views.password_reset, name="password_reset"),
    path("account/", views.account, name="account"),
]
