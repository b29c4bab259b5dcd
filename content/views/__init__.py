"""The team's workflow pages, one module per job: ``briefs`` (the versioned brief, its
attachments and sends), ``deliverables`` (a partnership's deliverables and their live posts),
``review`` (the review queue, a draft and its decision), ``panels`` (what the campaign pages
show of the workflow: late deliverables, failed caption checks).

Every record is reached through the permission checkpoint (``get_object_for``/``visible``);
writes go through ``content.services``, whose ValidationErrors become form errors. A creator
never reaches these pages (the middleware answers 404 outside the portal).
"""
