"""Public, unauthenticated endpoints: the click redirect, the site pixel, Shopify webhooks."""

from django.urls import path

from metrics.tracking import pixel, webhooks
from metrics.tracking.redirect import follow_link

urlpatterns = [
    path("r/<slug:slug>", follow_link, name="follow-link"),
    path("t/<str:brand_key>/event", pixel.event, name="pixel-event"),
    path("t/<str:brand_key>/p.gif", pixel.image, name="pixel-image"),
    path("t/<str:brand_key>/pixel.js", pixel.script, name="pixel-script"),
    path("hooks/shopify/<str:brand_key>", webhooks.shopify, name="shopify-webhook"),
]
