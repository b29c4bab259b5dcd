from django.urls import path

from influencers import views

app_name = "influencers"

urlpatterns = [
    path("", views.influencer_list, name="list"),
    path("new/", views.influencer_create, name="create"),
    path("calculator/", views.calculator, name="calculator"),
    path("<int:pk>/", views.influencer_detail, name="detail"),
    path("<int:pk>/edit/", views.influencer_edit, name="edit"),
    path("<int:pk>/accounts/", views.social_account_add, name="account_add"),
]
