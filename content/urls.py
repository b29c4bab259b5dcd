"""The team's workflow pages (mounted at "/"): briefs, deliverables, content review."""

from django.urls import path

from content.views import briefs, deliverables, review

app_name = "content"
urlpatterns = [
    path("campaigns/<int:pk>/brief/", briefs.brief_page, name="brief"),
    path("brief-versions/<int:pk>/attachments/", briefs.attachment_add, name="attachment_add"),
    path("brief-versions/<int:pk>/send/", briefs.brief_send, name="brief_send"),
    path("brief-attachments/<int:pk>/", briefs.attachment_download, name="attachment_download"),
    path(
        "brief-attachments/<int:pk>/delete/", briefs.attachment_delete, name="attachment_delete"
    ),
    path(
        "partnerships/<int:pk>/deliverables/", deliverables.deliverable_list, name="deliverables"
    ),
    path("deliverables/<int:pk>/edit/", deliverables.deliverable_edit, name="deliverable_edit"),
    path(
        "deliverables/<int:pk>/delete/", deliverables.deliverable_delete,
        name="deliverable_delete",
    ),
    path(
        "deliverables/<int:pk>/posts/", deliverables.deliverable_link_post,
        name="deliverable_link_post",
    ),
    path("campaigns/<int:pk>/review/", review.review_queue_page, name="review_queue"),
    path("drafts/<int:pk>/", review.draft_page, name="draft"),
    path("drafts/<int:pk>/review/", review.draft_decide, name="draft_decide"),
    path("drafts/<int:pk>/media", review.draft_media, name="draft_media"),
]
