from django.urls import path

from toolkit.indices import views

app_name = "indices"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("stars/", views.stars, name="stars"),
    path("review/", views.review_list, name="review"),
    path("review/<int:result_id>/", views.review, name="review_one"),
    path("items/record/", views.item_record, name="item_record"),
    path("confirm/", views.confirm_list, name="confirm"),
    path("confirm/all/", views.confirm_all, name="confirm_all"),
    path("confirm/stars/", views.stars_name, name="stars_name"),
    path("quarters/open/", views.quarter_open, name="quarter_open"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/items/", views.item_new, name="item_new"),
    path("settings/items/<int:item_id>/", views.item_edit, name="item_edit"),
    path("fortress/", views.fortress, name="fortress"),
    path("fortress/settle/", views.fortress_settle, name="fortress_settle"),
]
