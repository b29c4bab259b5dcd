"""The demo organizations behind ``python manage.py seed_demo``: the English ``demo`` and the
Persian ``demo-fa``, built by the same steps from their own catalogues.

The demo content is deterministic (one seeded random generator, every date relative to today in
the demo's time zone, nothing after yesterday) and idempotent: the demo organization's data is
deleted and rebuilt in one transaction, so a second run leaves exactly the same rows. Secrets
are not content: brand keys, Shopify webhook secrets and tracking-link slugs come from
``secrets`` on every run, so no two installs (and no two runs) share them — a webhook signed
with one install's demo secret must not be accepted by another. Tracking data
(clicks, visits, conversions) is written directly with ``bulk_create`` and attributed
consistently with the attribution rules, so the demo does not depend on the ingestion paths.

``spec`` says what a demo is made of, as data; ``catalogue_en`` and ``catalogue_fa`` hold the
English and the Persian one (people, brands, campaigns, amounts, captions, comments).
``build`` runs the whole thing for one of them; it draws on ``people`` (organization, user,
membership, the creator portal login), ``catalogue`` (brands, creators, campaigns,
partnerships, links, codes, costs, targets, an EMV card in the demo's currency), ``activity``
(posts, their metrics and comments, follower history), ``sales`` (clicks, visits, conversions,
refunds) and, last, ``workflow`` (the sales campaign's brief in two versions, deliverables,
drafts and reviews, through the content services; after the KPI recompute, ``seed_demo`` has it
approve two payout lines and mark one paid). ``platforms`` holds what each social platform
looks like (pure) and ``context`` the state every step shares. Every step draws from the one
generator in a fixed order, so reordering calls changes the demo's data.
"""
