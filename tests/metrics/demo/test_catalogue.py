from metrics.demo.catalogue import new_webhook_secret


def test_the_webhook_secret_is_long_and_random_on_every_call():
    made = {new_webhook_secret() for _ in range(50)}
    assert len(made) == 50
    assert all(len(secret.removeprefix("shpss_demo_")) == 64 for secret in made)
