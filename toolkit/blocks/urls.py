from django.urls import path

from toolkit.blocks import views

app_name = "blocks"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:block_id>/", views.detail, name="detail"),
    path("<int:block_id>/pairing/", views.pairing, name="pairing"),
    path("<int:block_id>/transfer/", views.transfer, name="transfer"),
    path("<int:block_id>/signage.pdf", views.signage, name="signage"),
    path("q/<str:token>/", views.public, name="public"),
]
