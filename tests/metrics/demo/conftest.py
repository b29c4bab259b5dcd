"""One English demo build for every test of the package: seeding is the slow part."""

import pytest

from metrics.models import ExchangeRate
from tests.metrics.demo.shared import counts, demo_delete, on_one_day, secrets_now, seed


@pytest.fixture(scope="package")
def seeded_twice(django_db_setup, django_db_blocker):
    """The English demo, seeded twice (the tests read the second build); yields the first
    build's counts, promo codes and secrets. The Persian demo has its own tests
    (tests/metrics/test_seed_demo_fa.py and ``test_workflow``)."""
    from campaigns.models import PromoCode

    with django_db_blocker.unblock():
        had_rates = ExchangeRate.objects.exists()

        def build() -> tuple[dict[str, int], list[str], dict[str, set[str]]]:
            seed("--lang", "en")
            first = counts()
            first_codes = sorted(PromoCode.objects.values_list("code", flat=True))
            first_secrets = secrets_now()
            seed("--lang", "en")
            return first, first_codes, first_secrets

        yield on_one_day(build)
        demo_delete("demo")
        if not had_rates:
            ExchangeRate.objects.all().delete()
