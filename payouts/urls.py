from django.urls import path

from payouts import views

app_name = "payouts"
urlpatterns = [
    path("payouts/", views.ledger, name="ledger"),
    path("payouts/approve/", views.lines_approve, name="approve_many"),
    path("payouts/export.csv", views.export_csv, name="export_csv"),
    path("payouts/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("payouts/<int:pk>/approve/", views.line_approve, name="approve"),
    path("payouts/<int:pk>/pay/", views.line_pay, name="pay"),
    path("campaigns/<int:pk>/payouts/", views.campaign_ledger, name="campaign"),
]
