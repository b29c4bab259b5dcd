"""The interface language: a member's own choice, else the organisation's, else the browser's;
the API follows Accept-Language only. Persian pages read right to left, with Jalali dates and
(by the reader's setting) Persian digits, and take dates typed in the Jalali calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.l10n import date_text, datetime_text, digits, digits_setting, parse_jalali
from accounts.models import User
from campaigns.models import Campaign
from tests import factories as f


def _lang(response) -> tuple[str, str]:
    html = response.content.decode()
    head = html[html.index("<html"): html.index(">", html.index("<html"))]
    return head.split('lang="')[1].split('"')[0], head.split('dir="')[1].split('"')[0]


def test_english_is_the_default(team, client_for):
    response = client_for(team.viewer).get(reverse("dashboard"))
    assert _lang(response) == ("en", "ltr")
    assert response["Content-Language"] == "en"


def test_the_browser_language_counts_when_nobody_chose(team, client_for):
    response = client_for(team.viewer).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9")
    assert _lang(response) == ("fa", "rtl")


def test_the_organisations_language_comes_before_the_browsers(team, client_for):
    team.organization.default_language = "fa"
    team.organization.save()
    response = client_for(team.viewer).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(response) == ("fa", "rtl")


def test_a_members_own_choice_comes_first(team, client_for):
    team.organization.default_language = "fa"
    team.organization.save()
    User.objects.filter(pk=team.viewer.pk).update(language="en")
    response = client_for(team.viewer).get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="fa")
    assert _lang(response) == ("en", "ltr")


def test_the_switcher_saves_a_members_choice_and_goes_back(team, client_for):
    client = client_for(team.viewer)
    back = reverse("influencers:list")
    response = client.post(reverse("accounts:language"), {"language": "fa", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert User.objects.get(pk=team.viewer.pk).language == "fa"
    assert _lang(client.get(back)) == ("fa", "rtl")
    # Nothing else is accepted, and no open redirect.
    response = client.post(reverse("accounts:language"),
                           {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")
    assert User.objects.get(pk=team.viewer.pk).language == "fa"


def test_before_signing_in_the_choice_is_a_cookie(db):
    client = Client()
    response = client.post(reverse("accounts:language"), {"language": "fa", "next": "/accounts/login/"})
    assert response.cookies["django_language"].value == "fa"
    assert _lang(client.get("/accounts/login/")) == ("fa", "rtl")


def test_the_api_follows_accept_language_only(team, api_client_for):
    User.objects.filter(pk=team.owner.pk).update(language="fa")
    api = api_client_for(team.organization)
    english = api.get("/api/v1/campaigns/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    body = api.post("/api/v1/campaigns/", {}, format="json", HTTP_ACCEPT_LANGUAGE="fa").json()
    assert set(body) >= {"brand", "name"}  # field names stay English
    assert body["name"] != ["This field is required."]  # the message is Persian


def test_preferences_set_language_and_digits(team, client_for):
    client = client_for(team.viewer)
    assert client.get(reverse("accounts:preferences")).status_code == 200
    response = client.post(reverse("accounts:preferences"), {"language": "fa", "digits": "latin"})
    assert response.status_code == 302
    user = User.objects.get(pk=team.viewer.pk)
    assert (user.language, user.digits) == ("fa", "latin")
    bad = client.post(reverse("accounts:preferences"), {"language": "xx", "digits": "roman"})
    assert bad.status_code == 400


def test_jalali_dates_and_persian_digits() -> None:
    day = dt.date(2026, 12, 3)
    moment = dt.datetime(2026, 12, 3, 10, 22, tzinfo=dt.UTC)
    with translation.override("en"):
        assert date_text(day, "Dec. 3, 2026") == "Dec. 3, 2026"
        assert digits("1,234.50") == "1,234.50"
    with translation.override("fa"):
        assert date_text(day, "Dec. 3, 2026") == "۱۲ آذر ۱۴۰۵"
        assert datetime_text(moment, "") == "۱۲ آذر ۱۴۰۵، ۱۰:۲۲ UTC"
        assert digits("1,234.50") == "۱٬۲۳۴٫۵۰"
        token = digits_setting.set("latin")
        try:
            assert date_text(day, "") == "12 آذر 1405" and digits("1,234.50") == "1,234.50"
        finally:
            digits_setting.reset(token)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1405/09/12", dt.date(2026, 12, 3)),
        ("۱۴۰۵/۰۹/۱۲", dt.date(2026, 12, 3)),
        ("1403-12-30", dt.date(2025, 3, 20)),  # a leap Esfand
        ("1404/12/30", None),  # not a leap year
        ("1405/13/01", None),
        ("2026-12-03", None),  # Gregorian: left to Django
        ("soon", None),
    ],
)
def test_typed_jalali_dates(typed: str, expected: dt.date | None) -> None:
    assert parse_jalali(typed) == expected


def test_a_persian_member_types_campaign_dates_in_jalali(team, client_for):
    User.objects.filter(pk=team.manager.pk).update(language="fa")
    brand = f.BrandFactory(organization=team.organization)
    client = client_for(team.manager)
    page = client.get(reverse("campaign_create")).content.decode()
    assert 'dir="rtl"' in page and 'placeholder="۱۴۰۵/۰۹/۱۲"' in page
    response = client.post(reverse("campaign_create"), {
        "brand": brand.pk, "name": "Yalda", "stage": "TOFU", "start_date": "۱۴۰۵/۰۹/۱۲",
        "end_date": "1405/09/30", "budget": "1000", "currency": "USD", "status": "draft",
        "attribution_window_days": "30",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(name="Yalda")
    assert (campaign.start_date, campaign.end_date) == (dt.date(2026, 12, 3), dt.date(2026, 12, 21))
    edit = client.get(reverse("campaign_edit", args=[campaign.pk])).content.decode()
    assert 'value="۱۴۰۵/۰۹/۱۲"' in edit


def test_rials_and_tomans_read_as_persian_money() -> None:
    from decimal import Decimal

    from metrics.fx import RateTable
    from metrics.number_text import format_value

    with translation.override("en"):
        assert format_value("7845225000.00", "money", "IRR") == "7,845,225,000 IRR"
        assert format_value("12.5", "money", "USD") == "12.50 USD"
    with translation.override("fa"):
        assert format_value("7845225000.00", "money", "IRR") == "۷٬۸۴۵٬۲۲۵٬۰۰۰ ریال"
        assert format_value("150000", "money", "IRT") == "۱۵۰٬۰۰۰ تومان"
        assert format_value("12.5", "money", "USD") == "۱۲٫۵۰ USD"
    table = RateTable(())
    day = dt.date(2026, 12, 3)
    assert table.convert(Decimal("150000"), "IRT", "IRR", day) == Decimal("1500000")
    assert table.convert(Decimal("1500000"), "IRR", "IRT", day) == Decimal("150000.0")
    assert table.convert(Decimal("1"), "IRR", "USD", day) is None  # no published rate


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1405/09/12 14:30", dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)),
        ("۱۴۰۵/۰۹/۱۲ ۰۹:۰۵", dt.datetime(2026, 12, 3, 9, 5, tzinfo=dt.UTC)),
        ("1405/09/12", dt.datetime(2026, 12, 3, 0, 0, tzinfo=dt.UTC)),
        ("1405/09/12 25:00", None),
        ("2026-12-03T14:30", None),
    ],
)
def test_typed_jalali_moments(typed: str, expected: dt.datetime | None) -> None:
    from accounts.l10n import parse_jalali_datetime

    assert parse_jalali_datetime(typed) == expected


def test_the_datetime_widget_speaks_jalali_to_a_persian_reader() -> None:
    from accounts.widgets import LocalDateTimeInput

    widget = LocalDateTimeInput()
    moment = dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)
    with translation.override("en"):
        assert 'type="datetime-local"' in widget.render("at", moment)
    with translation.override("fa"):
        html = widget.render("at", moment)
        assert 'type="text"' in html and 'value="۱۴۰۵/۰۹/۱۲ ۱۴:۳۰"' in html
        assert widget.value_from_datadict({"at": "۱۴۰۵/۰۹/۱۲ ۱۴:۳۰"}, {}, "at") == (
            "2026-12-03T14:30+00:00"
        )
    with translation.override("fa"), timezone.override(zoneinfo.ZoneInfo("Asia/Tehran")):
        assert widget.value_from_datadict({"at": "1405/09/12 14:30"}, {}, "at") == (
            "2026-12-03T14:30+03:30"
        )


def test_a_persian_members_exports_speak_persian(team, client_for):
    from tests.campaigns.pages_support import campaign_with_report

    campaign = campaign_with_report(brand=f.BrandFactory(organization=team.organization))
    User.objects.filter(pk=team.viewer.pk).update(language="fa")
    response = client_for(team.viewer).get(reverse("campaign_export", args=[campaign.pk]))
    text = b"".join(response.streaming_content).decode()
    assert "آگاهی از برند" in text and "کمپین" in text
    assert "Brand awareness" not in text
    assert "awareness,impressions" in text  # the machine keys stay as they are
