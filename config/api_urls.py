"""The `/api/v1/` router (namespace ``api``): every app registers its viewsets from its
``api.py``; the OpenAPI extensions load with it."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

import config.schema  # noqa: F401  (registers the API-key scheme with drf-spectacular)
from accounts.api import ApiKeyViewSet
from campaigns import api as campaigns_api
from content import api as content_api
from influencers import api as influencers_api
from metrics.api import conversions as conversions_api
from metrics.api import emv as emv_api
from metrics.api import ingestion as ingestion_api
from payouts import api as payouts_api
from reports import api as reports_api

app_name = "api"

router = DefaultRouter()
router.register("api-keys", ApiKeyViewSet, basename="api-key")
campaigns_api.register(router)
influencers_api.register(router)
emv_api.register(router)
ingestion_api.register(router)
conversions_api.register(router)
reports_api.register(router)
content_api.register(router)
payouts_api.register(router)



@csrf_exempt  # it changes nothing; a CSRF page would hide the JSON 404 from API clients
def not_found(request: HttpRequest, unmatched: str) -> HttpResponse:
    """Unknown paths under /api/v1/ answer in JSON like the rest of the API (not the HTML
    page), and a path missing only its trailing slash is redirected like CommonMiddleware's."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    path("", include(router.urls)),
    re_path(r"^(?P<unmatched>.*)$", not_found, name="not-found"),
]
