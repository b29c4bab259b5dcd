from django.urls import path

from campaigns import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/recompute/", views.campaign_recompute, name="campaign_recompute"),
    path("campaigns/<int:pk>/export/kpis.csv", views.export_report, name="campaign_export"),
    path(
        "campaigns/<int:pk>/export/creators.csv", views.export_leaderboard,
        name="campaign_export_leaderboard",
    ),
    path("campaigns/<int:pk>/targets/", views.target_set, name="target_set"),
    path(
        "campaigns/<int:pk>/targets/<int:target_pk>/delete/", views.target_delete,
        name="target_delete",
    ),
    path("campaigns/<int:pk>/costs/", views.cost_add, name="cost_add"),
    path("campaigns/<int:pk>/costs/<int:cost_pk>/delete/", views.cost_delete, name="cost_delete"),
    path("campaigns/<int:pk>/partnerships/", views.partnership_board, name="partnership_board"),
    path("partnerships/<int:pk>/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/move/", views.partnership_move, name="partnership_move"),
    path("partnerships/<int:pk>/links/", views.partnership_links, name="partnership_links"),
    path("partnerships/<int:pk>/links/preview/", views.link_preview, name="link_preview"),
    path("partnerships/<int:pk>/codes/", views.promo_code_add, name="promo_code_add"),
    path("links/<int:pk>/qr.svg", views.link_qr, name="link_qr"),
    path("links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("codes/<int:pk>/delete/", views.promo_code_delete, name="promo_code_delete"),
    path("brands/", views.brand_list, name="brand_list"),
    path("brands/<int:pk>/", views.brand_settings, name="brand_settings"),
    path("brands/<int:pk>/accounts/", views.brand_account_add, name="brand_account_add"),
]
