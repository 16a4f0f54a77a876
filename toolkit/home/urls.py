from django.urls import path

from toolkit.home import views

urlpatterns = [
    path("", views.company_home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
