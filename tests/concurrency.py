"""Work run on several threads at once, as concurrent requests or workers would run it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def race(work: Callable[[int], None], threads: int) -> list[BaseException]:
    """``work(0)`` … ``work(threads - 1)``, each on its own thread, released together by a
    barrier; each thread closes its own database connection when done. Returns what the calls
    raised (empty when none did)."""
    barrier = threading.Barrier(threads)
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # noqa: BLE001 — returned to the test
            failures.append(error)
        finally:
            connection.close()

    started = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    return failures
