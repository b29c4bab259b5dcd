from django.urls import path

from campaigns.views import brands, dashboard, editing, links, pipeline, posts, report

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("campaigns/new/", editing.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", report.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", editing.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/recompute/", report.campaign_recompute, name="campaign_recompute"),
    path("campaigns/<int:pk>/export/kpis.csv", report.export_report, name="campaign_export"),
    path("campaigns/<int:pk>/export/kpis.xlsx", report.export_xlsx, name="campaign_export_xlsx"),
    path(
        "campaigns/<int:pk>/export/creators.csv", report.export_leaderboard,
        name="campaign_export_leaderboard",
    ),
    path("campaigns/<int:pk>/targets/", editing.target_set, name="target_set"),
    path(
        "campaigns/<int:pk>/targets/<int:target_pk>/delete/", editing.target_delete,
        name="target_delete",
    ),
    path("campaigns/<int:pk>/costs/", editing.cost_add, name="cost_add"),
    path("campaigns/<int:pk>/costs/<int:cost_pk>/delete/", editing.cost_delete, name="cost_delete"),
    path("campaigns/<int:pk>/partnerships/", pipeline.partnership_board, name="partnership_board"),
    path("partnerships/<int:pk>/", pipeline.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/move/", pipeline.partnership_move, name="partnership_move"),
    path("partnerships/<int:pk>/links/", links.partnership_links, name="partnership_links"),
    path("partnerships/<int:pk>/posts/new/", posts.post_add, name="post_add"),
    path("partnerships/<int:pk>/posts/bulk/", posts.posts_bulk_add, name="posts_bulk_add"),
    # Beside the creator's page (/influencers/<pk>/), which links here.
    path("influencers/<int:pk>/posts/new/", posts.creator_post_add, name="creator_post_add"),
    path("partnerships/<int:pk>/links/preview/", links.link_preview, name="link_preview"),
    path("partnerships/<int:pk>/codes/", links.promo_code_add, name="promo_code_add"),
    path("links/<int:pk>/qr.svg", links.link_qr, name="link_qr"),
    path("links/<int:pk>/delete/", links.link_delete, name="link_delete"),
    path("codes/<int:pk>/delete/", links.promo_code_delete, name="promo_code_delete"),
    path("brands/", brands.brand_list, name="brand_list"),
    path("brands/<int:pk>/", brands.brand_settings, name="brand_settings"),
    path("brands/<int:pk>/accounts/", brands.brand_account_add, name="brand_account_add"),
]
