"""Run a transaction again when the database aborted it for a conflict with another one (deadlock, serialisation).

PostgreSQL breaks a deadlock by aborting one of the transactions (SQLSTATE 40P01) and, at the stricter isolation
levels, aborts one of two transactions that cannot be serialised (40001). Neither is the user's fault nor a bug to
show: the transaction is rolled back whole and may simply run again. ``RetryConflictsMiddleware`` does it for every
request that writes; ``run_retrying`` is the one place that knows how.
"""

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

T = TypeVar("T")

# serialization_failure, deadlock_detected (PostgreSQL's SQLSTATE codes)
CONFLICTS = frozenset({"40001", "40P01"})
ATTEMPTS = 5


def is_conflict(error: BaseException) -> bool:
    """Was the transaction aborted because of another one, so that running it again may succeed?"""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in CONFLICTS or getattr(cause, "pgcode", None) in CONFLICTS


def run_retrying(work: Callable[[], T]) -> T:
    """Run ``work`` in one transaction, and again (up to ``ATTEMPTS`` times) when it is aborted for a conflict.

    Inside a transaction already open, ``work`` just runs: only the outermost transaction can be run again, so the
    conflict goes up to it.
    """
    if connection.in_atomic_block:
        return work()
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return work()
        except DatabaseError as error:
            if attempt == ATTEMPTS or not is_conflict(error):
                raise
            logger.warning("transaction aborted by a conflict (attempt %s of %s): %s", attempt, ATTEMPTS, error)
            # Back off for a random while, so that the two transactions do not meet again at once.
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - not a secret
    raise AssertionError("unreachable")


class RetryConflictsMiddleware:
    """Handle each request that writes (not GET, HEAD, OPTIONS, TRACE) in one transaction, run again on a conflict.

    Django's ``ATOMIC_REQUESTS`` for the methods that write, with ``run_retrying`` around it: a request whose view
    raised rolls back (even when a middleware answers the exception, as allauth does), and one aborted by a
    deadlock or a serialisation failure runs again from the start, so the visitor never sees it. The body is read
    before the first attempt so that every attempt parses it again, and uploaded files are rewound. Listed after
    every middleware with a ``process_exception``, so that its own runs first.
    """

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS or connection.in_atomic_block or not _keep_body(request):
            return self.get_response(request)
        return run_retrying(lambda: self._attempt(request))

    def _attempt(self, request):
        request._view_error = None
        files = getattr(request, "_files", None)  # parsed by an earlier attempt
        for _name, uploads in files.lists() if files else ():
            for upload in uploads:
                upload.seek(0)
        try:
            response = self.get_response(request)
        except Exception:
            if request._view_error is not None and is_conflict(request._view_error):
                raise request._view_error from None
            raise
        if request._view_error is not None:
            if is_conflict(request._view_error):
                raise request._view_error  # rolled back by run_retrying's block, and run again
            transaction.set_rollback(True)
        return response

    def process_exception(self, request, exception):
        if hasattr(request, "_view_error"):
            request._view_error = exception
            if is_conflict(exception):
                return HttpResponse(status=503)  # never sent: __call__ runs the request again or raises
        return None


def _keep_body(request) -> bool:
    """Read the body now, so that each attempt can read it again; False when it cannot be kept."""
    if request.content_type == "multipart/form-data":
        return True  # parsed into request.POST and request.FILES once, on first use, and kept
    try:
        request.body  # noqa: B018 - reading it keeps it
    except RequestDataTooBig:
        return False  # too big to keep: the view answers it as before, without retry
    return True
