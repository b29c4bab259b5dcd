from django.urls import path

from metrics import entry_views

app_name = "metrics_entry"

urlpatterns = [
    path("", entry_views.index, name="index"),
    path("post-metrics/new/", entry_views.post_metrics_new, name="post_metrics"),
    path("followers/new/", entry_views.followers_new, name="followers"),
    path("comments/new/", entry_views.comment_new, name="comment"),
    path("import/<slug:kind>/", entry_views.import_upload, name="import"),
    path("import/<slug:kind>/confirm/", entry_views.import_confirm, name="import_confirm"),
]
