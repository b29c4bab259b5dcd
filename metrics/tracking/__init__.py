"""Tracking: how clicks, site events and shop orders reach Funnelboard, and who earns them.

Public, unauthenticated endpoints (routed by ``urls.py``, included at the site root by
``config/urls.py``; the URL names are in brackets):

- ``GET|HEAD /r/<slug>`` (``follow-link``) — the click redirect, ``redirect.follow_link``;
  ``config/wsgi.py`` serves the same path through ``redirect.wsgi_redirect`` without the
  full middleware stack;
- ``POST /t/<brand key>/event`` (``pixel-event``), ``GET /t/<brand key>/p.gif``
  (``pixel-image``), ``GET /t/<brand key>/pixel.js`` (``pixel-script``) — the site pixel;
- ``POST /hooks/shopify/<brand key>`` (``shopify-webhook``) — Shopify order and refund webhooks.

Modules:

- ``redirect`` — the `/r/` view and its lean WSGI path: visitor hash, client address behind
  trusted proxies, referrer and country; the link lookup cache it reads through is
  ``campaigns.link_cache`` (the link services drop entries from it);
- ``bot`` — bot flag, device class and prefetch detection from request headers (pure);
- ``clicks`` — the click buffer: the Redis stream and its drain, or direct writes;
- ``pixel`` — the pixel endpoints: visits and funnel events, CORS, request budgets;
- ``webhooks`` — the Shopify webhook endpoint: signature check, deduplication, hand-over;
- ``shopify`` — Shopify deliveries turned into conversions and refunds (the services);
- ``attribution`` — the attribution rules, pure: which partnership earns a conversion;
- ``attribution_candidates`` — facts of a conversion or visit and the brand's candidates
  loaded from the database, run through the rules (used by the ingestion services);
- ``tasks`` — Celery tasks: ``metrics.tasks.drain_click_buffer`` and
  ``metrics.tasks.process_shopify_delivery`` (the task names predate this package);
- ``urls`` — the routes above.
"""
