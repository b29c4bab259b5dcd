from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<int:pk>/", views.partnership, name="partnership"),
    path("deliverables/<int:pk>/", views.deliverable, name="deliverable"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("drafts/<int:pk>/media/", views.draft_media, name="draft_media"),
    path("links/<int:pk>/qr/", views.link_qr, name="link_qr"),
]
