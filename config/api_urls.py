"""The `/api/v1/` router: every app registers its viewsets in its own ``api.py``."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

app_name = "api"

router = DefaultRouter()

urlpatterns = [path("", include(router.urls))]
