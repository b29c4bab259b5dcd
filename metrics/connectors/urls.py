from django.urls import path

from metrics.connectors import views

app_name = "connectors"

urlpatterns = [
    path("", views.connection_list, name="list"),
    path("connect/", views.connection_connect_start, name="connect"),
    path("callback/<str:platform>/", views.oauth_callback, name="callback"),
    path("<int:pk>/disconnect/", views.connection_disconnect_view, name="disconnect"),
    path("<int:pk>/sync/", views.connection_sync_now, name="sync"),
    path("import/", views.csv_import, name="csv_import"),
]
