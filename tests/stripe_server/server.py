"""A local Stripe-compatible HTTP server for tests: the official `stripe` library talks to it
as it would to api.stripe.com, and it signs the webhook events it would have sent.

Pointing the library at it (stripe 16.1.0, both styles verified by tests/stripe_server):

    client = stripe.StripeClient("sk_test_…", base_addresses={"api": server.base_url})
    client.v1.checkout.sessions.create({...})

    stripe.api_key, stripe.api_base = "sk_test_…", server.base_url   # module-level style
    stripe.checkout.Session.create(...)

`base_addresses={"api": …}` replaces only the API host; the library still appends `/v1/…`, so
the base is the bare origin (`http://127.0.0.1:PORT`), which is what `STRIPE_API_BASE` holds.

Its "now" is `server.clock()` (default: `time.time`, looked up on every call, so time-machine
moves it); set `server.clock = lambda: …` to move only the fake. Objects live in memory;
requests are form-encoded as the library sends them; answers are JSON in Stripe's shapes;
a repeated `Idempotency-Key` replays the first answer or, with other parameters, is refused.
"""
import threading

import stripe
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from . import billing, checkout, payments, webhooks
from .api import API, decode, expanded, json_response
from .pages import card_error, checkout_page, message_page, portal_page
from .state import Account, StripeError, public, system_time


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class FakeStripe:
    """The server and its test controls. Use as a context manager, or `start()` / `stop()`."""

    def __init__(self, *, api_key="sk_test_coworking", webhook_secret="whsec_coworking",
                 clock=system_time):
        self.api_key, self.webhook_secret = api_key, webhook_secret
        self.account = Account("", clock)
        self.requests = []  # {"method", "path", "params", "idempotency_key", "status"}
        self.webhook_url = None  # when set, every event is POSTed there as it happens
        self._replies = {}  # Idempotency-Key -> (request, status, body)
        self._outbox = []
        self.account.listen(self._outbox.append)
        self._routes = Map([Rule(path, methods=[method], endpoint=(method, path))
                            for method, path in [*API, *self._PAGES]])
        self._server = self._thread = None
        self.base_url = None

    def start(self):
        self._server = make_server("127.0.0.1", 0, self, threaded=True,
                                   request_handler=_QuietHandler)
        self.base_url = self.account.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name="fake-stripe")
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- clock, state and test controls --------------------------------------------------------

    @property
    def clock(self):
        return self.account.clock

    @clock.setter
    def clock(self, clock):
        self.account.clock = clock

    def now(self):
        return self.account.now()

    @property
    def events(self):
        """Every event the fake would have sent, oldest first, each a snapshot of its object."""
        return self.account.events

    def object(self, object_id):
        """Any object as the API would return it now."""
        with self.account.lock:
            return public(self.account.objects[object_id])

    def client(self, **options):
        """A StripeClient aimed at this server, configured as the app would configure it."""
        options.setdefault("max_network_retries", 0)
        return stripe.StripeClient(self.api_key, base_addresses={"api": self.base_url},
                                   **options)

    def create_price(self, name, unit_amount, currency="eur", interval=None):
        """A price id for `line_items[i][price]`; `interval="month"` makes it recurring."""
        params = {"currency": currency, "unit_amount": unit_amount,
                  "product_data": {"name": name}}
        if interval:
            params["recurring"] = {"interval": interval}
        return self._act(payments.create_price, params)["id"]

    def complete_session(self, session_id, *, async_payment=False, email=None, name=None):
        """Pay as on the hosted page; `async_payment` (a SEPA Direct Debit, which the session
        must offer) completes it with the money still to settle (payment_status "unpaid"; a
        subscription `incomplete` with its first invoice open) until `succeed_async` or
        `fail_async`."""
        return self._act(checkout.complete_session, session_id, email=email, name=name,
                         async_payment=async_payment)

    def succeed_async(self, session_id):
        return self._act(checkout.settle_session, session_id, succeeded=True)

    def fail_async(self, session_id):
        return self._act(checkout.settle_session, session_id, succeeded=False)

    def renew(self, subscription_id):
        """The period ends and the next one is paid (or, after `fail_renewal`, the retry of the
        open invoice succeeds; or a subscription set to cancel at period end ends)."""
        return self._act(billing.next_period, subscription_id, paid=True)

    def fail_renewal(self, subscription_id):
        """The period ends and its invoice's payment fails: the subscription is past_due."""
        return self._act(billing.next_period, subscription_id, paid=False)

    def _act(self, action, *args, **kwargs):
        with self.account.lock:
            result = action(self.account, *args, **kwargs)
        self._flush()
        return public(result)

    # -- webhooks ------------------------------------------------------------------------------

    def event(self, type, data_object, *, id=None, created=None, previous_attributes=None):
        """A new Event around `data_object` (a dict, or the id of an object the fake holds)."""
        with self.account.lock:
            if isinstance(data_object, str):
                data_object = self.account.objects[data_object]
            return self.account.event(type, data_object, id=id, created=created,
                                      previous_attributes=previous_attributes)

    def signed(self, event, *, secret=None, timestamp=None):
        """(payload, headers) for posting `event` (a dict or an exact JSON body) yourself."""
        return webhooks.signed(event, secret or self.webhook_secret,
                               self.now() if timestamp is None else timestamp)

    def deliver(self, target, event, *, secret=None, timestamp=None,
                path=webhooks.WEBHOOK_PATH):
        """POST a signed event to a URL or through a Flask test client (to `path`)."""
        return webhooks.post(target, *self.signed(event, secret=secret, timestamp=timestamp),
                             path=path)

    def send_event(self, target, type, data_object, *, id=None, created=None, secret=None,
                   timestamp=None, path=webhooks.WEBHOOK_PATH):
        return self.deliver(target, self.event(type, data_object, id=id, created=created),
                            secret=secret, timestamp=timestamp, path=path)

    def _flush(self):
        with self.account.lock:
            events, self._outbox[:] = list(self._outbox), []
        if self.webhook_url:
            for event in events:
                self.deliver(self.webhook_url, event)

    # -- HTTP ----------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            (method, path), values = self._routes.bind_to_environ(environ).match()
        except HTTPException:
            response = json_response(StripeError(
                f"Unrecognized request URL ({request.method}: {request.path}).",
                status=404).body(), 404)
        else:
            if path.startswith("/v1/"):
                response = self._api(request, API[method, path], values)
            else:
                response = self._PAGES[method, path](self, request, **values)
        self._flush()
        return response(environ, start_response)

    def _api(self, request, handler, values):
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return json_response(StripeError("Invalid API Key provided.", status=401).body(), 401)
        params = decode(request.form if request.method == "POST" else request.args)
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        request_id = self.account.new_id("req", 14)
        signature = (request.method, request.path, params)
        with self.account.lock:
            if key in self._replies:
                first, status, body = self._replies[key]
                if first == signature:
                    return json_response(body, status, request_id, replayed=True)
                status, body = 400, StripeError(
                    "Keys for idempotent requests can only be used with the same parameters "
                    f"they were first used with. Try using a key other than '{key}' if you "
                    "meant to execute a different request.", type="idempotency_error").body()
            else:
                checkout.sweep(self.account)
                self.account.request = {"id": request_id, "idempotency_key": key}
                try:
                    params = dict(params)
                    expand = params.pop("expand", [])
                    status, body = 200, expanded(self.account,
                                                 handler(self.account, params, **values), expand)
                except StripeError as error:
                    status, body = error.status, error.body()
                except Exception as bug:  # a gap in the fake: say so rather than hang up
                    status, body = 500, StripeError(f"The fake Stripe failed: {bug!r}",
                                                    type="api_error", status=500).body()
                finally:
                    self.account.request = None
                if key and status < 400:
                    self._replies[key] = (signature, status, body)
            self.requests.append({"method": request.method, "path": request.path,
                                  "params": signature[2], "idempotency_key": key,
                                  "status": status})
        return json_response(body, status, request_id)

    def _pay(self, request, id):
        with self.account.lock:
            checkout.sweep(self.account)
            session = self.account.objects.get(id)
            if not session or session["object"] != "checkout.session":
                return _html(*message_page("Not found", "No such Checkout Session.", 404))
            if request.method == "GET" or session["status"] != "open":
                return _html(*checkout_page(session))
            error = card_error(request.form)
            if error:
                return _html(*checkout_page(session, error, request.form, status=402))
            try:
                checkout.complete_session(self.account, id, email=request.form.get("email"),
                                          name=request.form.get("name"),
                                          async_payment=request.form.get("method") == "sepa_debit")
            except ValueError as refused:
                return _html(*checkout_page(session, str(refused), request.form, status=402))
        if not session["success_url"]:
            return _html(*message_page("Thank you", "Your payment is complete."))
        target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", id)
        return Response(status=303, headers={"Location": target})

    def _portal(self, request, id):
        with self.account.lock:
            try:
                portal = self.account.get(id, "billing_portal.session")
            except StripeError as missing:
                return _html(*message_page("Not found", missing.message, 404))
            subscriptions = [obj for obj in self.account.objects.values()
                             if obj["object"] == "subscription" and obj["status"] != "canceled"
                             and obj["customer"] == portal["customer"]]
            if request.method == "GET":
                return _html(*portal_page(portal, subscriptions))
            chosen = request.form.get("subscription")
            if chosen in {subscription["id"] for subscription in subscriptions}:
                billing.update_subscription(self.account, {"cancel_at_period_end": "true"},
                                            chosen)
        return Response(status=303, headers={"Location": f"/portal/{id}"})

    _PAGES = {("GET", "/pay/<id>"): _pay, ("POST", "/pay/<id>"): _pay,
              ("GET", "/portal/<id>"): _portal, ("POST", "/portal/<id>"): _portal}


def _html(html, status=200):
    return Response(html, status=status, mimetype="text/html")
