from django.urls import path

from toolkit.home import views

urlpatterns = [path("", views.company_home, name="home")]
