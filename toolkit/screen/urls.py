from django.urls import path

from toolkit.screen import views

app_name = "screen"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    # The only pages a display token opens (no sign-in: a shared screen).
    path("d/<str:token>/", views.display, name="display"),
    path("d/<str:token>/data/", views.display_data, name="data"),
]
