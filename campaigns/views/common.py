"""What every campaign page shares: the ``member_required`` decorator and the request's access."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

from accounts.selectors import Access
from campaigns.models import KpiTarget

View = Callable[..., HttpResponseBase]
TARGET_LABELS = dict(KpiTarget.Metric.choices)


def member_required(view: View) -> View:
    """Signed in and a member of an organization; ``request.access`` is then set."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.access:  # type: ignore[attr-defined]
            return render(request, "accounts/no_organization.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined]
