"""The `/api/v1/` router (namespace ``api``): every app registers its viewsets from its
``api.py``; the OpenAPI extensions load with it."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

import config.schema  # noqa: F401  (registers the API-key scheme with drf-spectacular)
from accounts.api import ApiKeyViewSet
from campaigns import api as campaigns_api
from influencers import api as influencers_api
from metrics.api import conversions as conversions_api
from metrics.api import emv as emv_api
from metrics.api import ingestion as ingestion_api

app_name = "api"

router = DefaultRouter()
router.register("api-keys", ApiKeyViewSet, basename="api-key")
campaigns_api.register(router)
influencers_api.register(router)
emv_api.register(router)
ingestion_api.register(router)
conversions_api.register(router)

urlpatterns = [path("", include(router.urls))]
