"""Rate limits keyed on what the caller names (an account) or where it comes from."""
import math
import time

from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from coworking.errors import RateLimited
from coworking.serving import gunicorn_workers

RETRY_AFTER_SECONDS = 30
# A Redis that does not answer is given up on soon, long before gunicorn's worker timeout:
# the answer is then a 503 that says to come back, not a worker killed mid-request.
REDIS_TIMEOUT_SECONDS = 2


class RateLimitsUnreachable(Exception):
    """The shared store of the counters (Redis) cannot be reached.

    The steps it guards are refused for the moment (503, try again soon) rather than let
    through uncounted: an outage of Redis must not open sign-in to password guessing. Not a
    DomainError on purpose: the forms that show a rule's message beside a field must not
    swallow an outage, which the error handlers answer as a whole page or problem."""

    retry_after = RETRY_AFTER_SECONDS


class _MemoryCounters(MemoryStorage):
    """The counters inside this process (`memory://`), swept of what has run out at most
    once a second, in the call that counts. `limits`' own store starts a thread to sweep
    after every count made 10 ms after the one before: on a busy machine that thread's
    start cost one booking more than its INSERT. The counts themselves read each entry's
    time, so when the sweep runs changes no answer."""

    SWEEP_EVERY = 1.0

    def __init__(self, uri=None, **options):
        super().__init__(uri, **options)
        self._next_sweep = time.monotonic() + self.SWEEP_EVERY

    def _MemoryStorage__schedule_expiry(self):
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()


def storage(uri):
    """The counters' store; its failures are raised as `limits.errors.StorageError`."""
    options = {"wrap_exceptions": True}
    if uri.startswith("memory://"):
        return _MemoryCounters(uri, **options)
    if uri.startswith("redis"):
        options.update(socket_timeout=REDIS_TIMEOUT_SECONDS,
                       socket_connect_timeout=REDIS_TIMEOUT_SECONDS)
    return storage_from_string(uri, **options)


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
        self._strategy = MovingWindowRateLimiter(storage(uri))
        app.extensions["coworking_limiter"] = self

    def check(self, limit, *keys):
        """Raise RateLimited when the window for these keys is already full."""
        item = parse(limit)
        if not self._ask(self._strategy.test, item, keys):
            raise RateLimited(retry_after=self._retry_after(item, keys))

    def hit(self, limit, *keys):
        """Count one event; raise RateLimited if it is one too many."""
        item = parse(limit)
        if not self._ask(self._strategy.hit, item, keys):
            raise RateLimited(retry_after=self._retry_after(item, keys))

    def _retry_after(self, item, keys):
        reset_at, _remaining = self._ask(self._strategy.get_window_stats, item, keys)
        return max(1, math.ceil(reset_at - time.time()))

    @staticmethod
    def _ask(method, item, keys):
        try:
            return method(item, *keys)
        except StorageError as error:
            raise RateLimitsUnreachable(str(error.storage_error)) from error.storage_error
