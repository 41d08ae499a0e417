"""Running service calls at the same moment, each on its own database connection (PostgreSQL concurrency tests)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def at_the_same_moment(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the calls in threads, each on its own database connection, released together by a barrier.

    Returns, in order, ``("ok", result)`` or ``("error", exception)`` for each call.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except Exception as error:  # the test inspects what each thread got
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    return outcomes
