"""Campaign pages, one module per job: ``dashboard``, the campaign ``report`` (with recompute and
CSV exports), ``editing`` (campaigns, targets, costs), the partnership ``pipeline``, ``links`` and
promo codes, ``brands``; ``common`` holds the decorator and helpers they share.

Every record is reached through the permission checkpoint (``get_object_for``/``visible``);
writes go through ``campaigns.services`` whose ValidationErrors become form errors.
"""
