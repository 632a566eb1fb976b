"""Rate limits keyed on what the caller names (an account) or where it comes from."""
import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from coworking.errors import RateLimited


class RateLimiter:
    """A thin layer over `limits` so services can count only what should count (failures)."""

    def __init__(self):
        self._strategy = None

    def init_app(self, app):
        storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
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
