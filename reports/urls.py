from django.urls import path

from reports.views import digests, pdf, share

urlpatterns = [
    # Share links: managed by admins on the campaign; opened by anyone holding the token.
    path("campaigns/<int:pk>/sharing/", share.share_links, name="share_links"),
    path("share-links/<int:pk>/revoke/", share.share_link_revoke_view, name="share_link_revoke"),
    path("s/<str:token>", share.shared_report, name="shared_report"),
    path("s/<str:token>/brand.css", share.shared_brand_css, name="shared_brand_css"),
    # PDF
    path("campaigns/<int:pk>/report.pdf", pdf.campaign_report_pdf, name="campaign_report_pdf"),
    path("s/<str:token>/report.pdf", pdf.shared_report_pdf, name="shared_report_pdf"),
    # Digests: set up by admins on the campaign (managers read the log); a recipient
    # unsubscribes with the signed link in each digest, without signing in.
    path("campaigns/<int:pk>/digest/", digests.digest_page, name="digest"),
    path("campaigns/<int:pk>/digest/recipients/", digests.digest_recipient_add_view,
         name="digest_recipient_add"),
    path("campaigns/<int:pk>/digest/send/", digests.digest_send_now_view, name="digest_send_now"),
    path("digest-recipients/<int:pk>/remove/", digests.digest_recipient_remove_view,
         name="digest_recipient_remove"),
    path("digests/unsubscribe/<str:token>/", digests.digest_unsubscribe_view,
         name="digest_unsubscribe"),
]
