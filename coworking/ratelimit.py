"""Rate limits keyed on what the caller names (an account) or where it comes from."""
import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from coworking.errors import RateLimited
from coworking.serving import gunicorn_workers


def _refuse_counters_per_worker(workers):
    """Each worker would count on its own, multiplying every limit by the number of workers."""
    if workers and workers > 1:
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI=memory:// keeps rate-limit counters inside each process, "
            f"so gunicorn's {workers} workers would each allow the full limit. Set "
            f"RATELIMIT_STORAGE_URI to a shared store (e.g. redis://127.0.0.1:6379/0) or run "
            f"one worker.")


class RateLimiter:
    """A thin layer over `limits` so services can count only what should count (failures)."""

    def __init__(self):
        self._strategy = None

    def init_app(self, app):
        uri = app.config["RATELIMIT_STORAGE_URI"]
        if app.config["ENV_NAME"] == "production" and uri.startswith("memory://"):
            _refuse_counters_per_worker(gunicorn_workers())
        storage = storage_from_string(uri)
        self._strategy = MovingWindowRateLimiter(storage)
        app.extensions["coworking_limiter"] = self

    def check(self, limit, *keys):
        """Raise RateLimited when the window for these keys is already full."""
        item = parse(limit)
        if not self._strategy.test(item, *keys):
            reset_at, _remaining = self._strategy.get_window_stats(item, *keys)
            raise RateLimited(retry_after=max(1, math.ceil(reset_at - time.time())))

    def hit(self, limit, *keys):
        """Count one event; raise RateLimited if it is one too many."""
        item = parse(limit)
        if not self._strategy.hit(item, *keys):
            reset_at, _remaining = self._strategy.get_window_stats(item, *keys)
            raise RateLimited(retry_after=max(1, math.ceil(reset_at - time.time())))
