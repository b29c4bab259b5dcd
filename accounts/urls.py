"""The accounts app's pages. config/urls.py mounts django-allauth's pages under the same
``accounts/`` prefix after these, so the paths below that allauth also has — ``login/``,
``logout/``, ``signup/`` and ``email/`` — are answered here, and allauth's URL names
(``account_login``, ``account_signup``, ``account_email``…) reverse to these same views."""

from allauth.account.views import LoginView, LogoutView
from django.urls import path
from django.views.decorators.http import require_POST

from accounts import language_views, organization_views, views

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logout/", require_POST(LogoutView.as_view()), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("email/", views.EmailAddressesView.as_view(), name="email"),
    path("switch/", views.switch_organization, name="switch"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "members/invitations/<int:pk>/revoke/", views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("api-keys/", views.api_keys, name="api_keys"),
    path("api-keys/new/", views.api_key_new, name="api_key_new"),
    path("api-keys/<int:pk>/revoke/", views.api_key_revoke_view, name="api_key_revoke"),
    path("audit/", views.audit_log, name="audit"),
    path("settings/", organization_views.organization_settings, name="settings"),
    path("language/", language_views.language_switch, name="language"),
    path("preferences/", language_views.preferences, name="preferences"),
]
