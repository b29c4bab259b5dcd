"""What the admin tests share: a model admin's URL, and a signed-in staff member whose
organization role (not a model permission) decides what the admin lets them do."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import User


def admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def staff_client(user: User) -> Client:
    """Staff status opens the admin; the member's role decides (no model permission needed)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client
