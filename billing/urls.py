"""On a company's site: its admin's billing pages."""

from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("details/", views.details, name="details"),
    path("checkout/", views.checkout, name="checkout"),
    path("portal/", views.portal, name="portal"),
    path("fapiao/request/", views.fapiao_request, name="fapiao_request"),
    path("fapiao/<int:fapiao_id>/", views.fapiao_download, name="fapiao_download"),
    path("local/checkout/<int:plan_id>/<str:interval>/", views.local_checkout,
         name="local_checkout"),
    path("local/portal/", views.local_portal, name="local_portal"),
]
