from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config import health
from config.api_docs import OfflineSwaggerView
from metrics.views import kpi_help

urlpatterns = [
    path("", include("metrics.tracking.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),  # after accounts.urls, which answers first
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", OfflineSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("influencers/", include("influencers.urls")),
    path("help/kpis/", kpi_help, name="kpi-help"),
    path("metrics/", include("metrics.urls")),
    path("data/", include("metrics.entry_urls")),
    path("connections/", include("metrics.connectors.urls")),
    path("portal/", include("portal.urls")),
    path("", include("content.urls")),
    path("", include("payouts.urls")),
    path("", include("reports.urls")),
    path("", include("campaigns.urls")),
]
