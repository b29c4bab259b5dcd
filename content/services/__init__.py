"""Writes of the partnership workflow, one module per record family. Each checks the role
through the checkpoint's rules, keeps related records in the organisation, validates with
``full_clean`` and audits what the issue asks to be traceable."""

from content.services.briefs import (
    brief_attachment_add,
    brief_attachment_delete,
    brief_send,
    brief_version_create,
)
from content.services.deliverables import (
    deliverable_create,
    deliverable_delete,
    deliverable_link_post,
    deliverable_update,
)
from content.services.drafts import draft_review, draft_submit
from content.services.post_checks import campaign_posts_recheck, post_check_run

__all__ = [
    "brief_attachment_add",
    "brief_attachment_delete",
    "brief_send",
    "brief_version_create",
    "campaign_posts_recheck",
    "deliverable_create",
    "deliverable_delete",
    "deliverable_link_post",
    "deliverable_update",
    "draft_review",
    "draft_submit",
    "post_check_run",
]
