from django.urls import path

from metrics import comment_views, views

app_name = "metrics"

urlpatterns = [
    path("unattributed/", views.unattributed, name="unattributed"),
    path("conversions/<int:pk>/assign/", views.assign, name="conversion-assign"),
    path("brands/<int:brand_id>/reattribute/", views.reattribute, name="reattribute"),
    path("conversions/import/", views.conversions_import, name="conversions-import"),
    path("comments/<int:pk>/label/", comment_views.comment_label, name="comment-label"),
]
