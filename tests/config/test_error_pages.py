"""The styled error pages: 403 and 404 inside the app's frame with a way back; 500 standalone
(Django renders it with no request and no context processors, the database maybe down)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings
from django.views.defaults import server_error


@pytest.mark.django_db
def test_404_is_styled_with_a_way_back(team, client_for):
    response = client_for(team.viewer).get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Nothing here" in body and 'class="topbar"' in body
    assert "Back to your campaigns" in body


@pytest.mark.django_db
def test_404_for_a_visitor_offers_sign_in(client):
    body = client.get("/no/such/page/").content.decode()
    assert "Sign in" in body


@pytest.mark.django_db
def test_403_is_styled_and_names_the_role(team, client_for):
    response = client_for(team.viewer).get("/metrics/conversions/import/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You can't do that here" in body and "(viewer now)" in body
    assert "Back to your campaigns" in body and 'class="topbar"' in body


@override_settings(DEBUG=False)
def test_500_renders_without_request_context_or_database(django_db_blocker):
    request = RequestFactory().get("/boom/")
    with django_db_blocker.block():  # any query would raise
        response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert 'href="/"' in body and "css/app.css" in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unhandled_error_answers_with_the_styled_500(team, client_for, monkeypatch):
    from metrics import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "visible", boom)
    client = client_for(team.manager)
    client.raise_request_exception = False
    response = client.get("/metrics/unattributed/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
