"""The fake Stripe account's memory: every object by id, the events it would have sent, its
clock, and the parameter checks and errors that all endpoints share."""
import secrets
import string
import threading
import time

import stripe

API_VERSION = stripe.api_version  # "2026-10-28.endive" for stripe 16.1.0
_ALPHABET = string.ascii_letters + string.digits


def system_time():
    """The default clock. It looks `time.time` up on every call, so time-machine moves it too."""
    return time.time()


class StripeError(Exception):
    """An API error in Stripe's shape; the library turns 400/404 into InvalidRequestError."""

    def __init__(self, message, *, param=None, status=400, type="invalid_request_error",
                 code=None):
        super().__init__(message)
        self.status, self.message, self.param, self.type, self.code = (
            status, message, param, type, code)

    def body(self):
        error = {"type": self.type, "message": self.message}
        if self.param:
            error["param"] = self.param
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        return {"error": error}


class Account:
    """One test-mode Stripe account. All changes happen under `lock`; `record` turns a change
    into an event, keeping a snapshot of the object as it was at that moment."""

    def __init__(self, base_url, clock=system_time):
        self.base_url = base_url
        self.clock = clock
        self.objects = {}
        self.events = []
        self.lock = threading.RLock()
        self.request = None  # {"id", "idempotency_key"} of the API request being handled
        self._listeners = []

    def now(self):
        return int(self.clock())

    def new_id(self, prefix, length=24):
        return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(length))}"

    def add(self, obj):
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        return obj

    def get(self, object_id, kind, param="id"):
        obj = self.objects.get(object_id) if isinstance(object_id, str) else None
        if obj is None or obj["object"] != kind:
            raise StripeError(f"No such {kind}: '{object_id}'", param=param, status=404,
                              code="resource_missing")
        return obj

    def listen(self, callback):
        self._listeners.append(callback)

    def event(self, type, obj, *, previous_attributes=None, id=None, created=None):
        """An Event around a snapshot of `obj`, as Stripe would send it."""
        event = {"id": id or self.new_id("evt"), "object": "event", "api_version": API_VERSION,
                 "created": self.now() if created is None else created, "type": type,
                 "data": {"object": public(obj)}, "livemode": False, "pending_webhooks": 1,
                 "request": dict(self.request or {"id": None, "idempotency_key": None})}
        if previous_attributes:
            event["data"]["previous_attributes"] = previous_attributes
        return event

    def record(self, type, obj, previous_attributes=None):
        event = self.event(type, obj, previous_attributes=previous_attributes)
        self.events.append(event)
        self.objects[event["id"]] = event
        for callback in self._listeners:
            callback(event)
        return event


def public(value):
    """A deep copy without the fake's own bookkeeping (keys starting with "_")."""
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def list_object(data, url):
    return {"object": "list", "data": data, "has_more": False, "url": url}


def allow(params, *names):
    """Stripe refuses parameters it does not know; so does the fake, to catch typos early."""
    for name in params:
        if name not in names and name != "expand":
            raise StripeError(f"Received unknown parameter: {name}", param=name)


def require(params, name, param=None):
    value = params.get(name)
    if value in (None, ""):
        raise StripeError(f"Missing required param: {param or name}.", param=param or name,
                          code="parameter_missing")
    return value


def integer(value, param):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise StripeError(f"Invalid integer: {value}", param=param) from None


def boolean(value, param):
    if value in ("true", True):
        return True
    if value in ("false", False):
        return False
    raise StripeError(f"Invalid boolean: {value}", param=param)


def choice(params, name, options, default=None):
    value = params.get(name, default)
    if value not in options:
        raise StripeError(f"Invalid {name}: must be one of {', '.join(options)}", param=name)
    return value


def metadata(params, key="metadata"):
    values = params.get(key) or {}
    if not isinstance(values, dict):
        raise StripeError("Invalid object", param=key)
    return {k: v for k, v in values.items() if v != ""}
