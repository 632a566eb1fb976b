"""Checkout Sessions: creation with Stripe's checks, expiry, and what paying on the hosted page
leaves behind (a PaymentIntent and charge, or a subscription and its first invoice)."""
from .billing import first_intent, settle_invoice, start_subscription
from .payments import CARD, SEPA_DEBIT, new_customer, new_payment, new_price, settle_payment
from .state import StripeError, allow, choice, integer, list_object, metadata, require

MIN_EXPIRY, MAX_EXPIRY = 30 * 60, 24 * 60 * 60
PAYMENT_METHODS = ("card", "sepa_debit")
MINIMUM_CHARGE = {"eur": 50, "usd": 50, "chf": 50, "gbp": 30}


def create_session(account, params):
    allow(params, "mode", "line_items", "customer", "customer_email", "customer_creation",
          "client_reference_id", "metadata", "success_url", "cancel_url", "expires_at",
          "payment_intent_data", "subscription_data", "locale", "payment_method_types",
          "allow_promotion_codes", "billing_address_collection", "ui_mode")
    require(params, "mode")
    mode = choice(params, "mode", ("payment", "subscription"))
    if params.get("customer") and params.get("customer_email"):
        raise StripeError("You may only specify one of these parameters: customer, "
                          "customer_email.", param="customer_email")
    customer = params.get("customer") and account.get(params["customer"], "customer",
                                                      "customer")["id"]
    lines = [_line_item(account, item, f"line_items[{i}]")
             for i, item in enumerate(require(params, "line_items") or [])]
    if len({line["currency"] for line in lines}) > 1:
        raise StripeError("All prices must use the same currency.", param="line_items")
    recurring = [line for line in lines if line["price"]["recurring"]]
    if mode == "subscription" and not recurring:
        raise StripeError("You must provide at least one recurring price in `subscription` "
                          "mode when using prices.", param="line_items")
    if mode == "payment" and recurring:
        raise StripeError("You specified `payment` mode but passed a recurring price. Either "
                          "switch to `subscription` mode or use only one-time prices.",
                          param="line_items")
    total, currency = sum(line["amount_total"] for line in lines), lines[0]["currency"]
    if mode == "payment" and total < MINIMUM_CHARGE.get(currency, 1):
        raise StripeError("The Checkout Session's total amount due must add up to at least "
                          f"{MINIMUM_CHARGE.get(currency, 1)} ({currency}).")
    methods = _payment_method_types(params, currency)
    now = account.now()
    expires_at = integer(params.get("expires_at", now + MAX_EXPIRY), "expires_at")
    if expires_at - now < MIN_EXPIRY:
        raise StripeError("The `expires_at` timestamp must be at least 30 minutes from "
                          "Checkout Session creation.", param="expires_at")
    if expires_at - now > MAX_EXPIRY:
        raise StripeError("The `expires_at` timestamp must be less than 24 hours from "
                          "Checkout Session creation.", param="expires_at")
    session_id = account.new_id("cs_test", 58)
    return account.add({
        "id": session_id, "object": "checkout.session", "after_expiration": None,
        "allow_promotion_codes": params.get("allow_promotion_codes"),
        "amount_subtotal": total, "amount_total": total,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"), "client_secret": None,
        "created": now, "currency": currency, "customer": customer,
        "customer_creation": None if mode == "subscription"
        else choice(params, "customer_creation", ("if_required", "always"), "if_required"),
        "customer_details": None, "customer_email": params.get("customer_email"),
        "expires_at": expires_at, "invoice": None, "locale": params.get("locale"),
        "metadata": metadata(params), "mode": mode, "payment_intent": None,
        "payment_method_types": methods, "payment_status": "unpaid", "status": "open",
        "subscription": None, "success_url": params.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted", "url": f"{account.base_url}/pay/{session_id}",
        "_lines": lines, "_payment_intent_data": params.get("payment_intent_data") or {},
        "_subscription_data": params.get("subscription_data") or {}})


def _payment_method_types(params, currency):
    """What the hosted page offers: the types asked for (card and SEPA Direct Debit are
    modelled; a debit needs euro), or, without `payment_method_types`, what a Dashboard with
    both enabled would offer for the currency."""
    asked = params.get("payment_method_types")
    if asked is None:
        return ["card", "sepa_debit"] if currency == "eur" else ["card"]
    if not isinstance(asked, list) or not asked:
        raise StripeError("Invalid array", param="payment_method_types")
    for kind in asked:
        if kind not in PAYMENT_METHODS:
            raise StripeError(f"The payment method type provided: {kind} is invalid. Please "
                              "ensure the provided type is activated in your dashboard "
                              "(https://dashboard.stripe.com/account/payments/settings) and "
                              "your account is enabled for any preview features that you are "
                              "trying to use.", param="payment_method_types")
    if "sepa_debit" in asked and currency != "eur":
        raise StripeError(f"The currency provided ({currency}) is invalid for one or more "
                          "payment method types provided: sepa_debit.",
                          param="payment_method_types")
    return list(dict.fromkeys(asked))


def _line_item(account, item, prefix):
    if item.get("price"):
        price = account.get(item["price"], "price", f"{prefix}[price]")
        if not price["active"]:
            raise StripeError(f"The price specified is inactive: {price['id']}",
                              param=f"{prefix}[price]")
    elif item.get("price_data"):
        price = new_price(account, item["price_data"], f"{prefix}[price_data]")
        price["active"] = False  # an inline price belongs to this session only
    else:
        raise StripeError("You must specify either `price` or `price_data` for each line item.",
                          param=prefix)
    quantity = integer(require(item, "quantity", f"{prefix}[quantity]"), f"{prefix}[quantity]")
    if quantity < 1:
        raise StripeError("Quantity must be at least 1.", param=f"{prefix}[quantity]")
    amount = price["unit_amount"] * quantity
    return {"id": account.new_id("li"), "object": "item", "amount_discount": 0,
            "amount_subtotal": amount, "amount_tax": 0, "amount_total": amount,
            "currency": price["currency"],
            "description": account.objects[price["product"]]["name"], "price": price,
            "quantity": quantity}


def line_items(account, session):
    """`expand[]=line_items` and `GET /v1/checkout/sessions/{id}/line_items`."""
    return list_object(session["_lines"], f"/v1/checkout/sessions/{session['id']}/line_items")


def list_sessions(account, params):
    keys = ("payment_intent", "customer", "subscription", "status")
    allow(params, *keys, "limit")
    filters = {key: params[key] for key in keys if key in params}
    sessions = [obj for obj in reversed(list(account.objects.values()))
                if obj["object"] == "checkout.session"
                and all(obj[key] == value for key, value in filters.items())]
    limit = integer(params.get("limit", 10), "limit")
    return list_object(sessions[:limit], "/v1/checkout/sessions")


def expire_session(account, params, id):
    allow(params)
    session = account.get(id, "checkout.session", "session")
    if session["status"] != "open":
        raise StripeError(f"Only Checkout Sessions with a status in [\"open\"] can be expired; "
                          f"this one is {session['status']}.", param="session")
    session.update(status="expired", url=None)
    account.record("checkout.session.expired", session)
    return session


def sweep(account):
    """Open sessions past their `expires_at` expire, as Stripe's clock would have done."""
    now = account.now()
    for session in [obj for obj in account.objects.values()
                    if obj["object"] == "checkout.session" and obj["status"] == "open"
                    and obj["expires_at"] <= now]:
        session.update(status="expired", url=None)
        account.record("checkout.session.expired", session)


def complete_session(account, session_id, *, email=None, name=None, async_payment=False):
    """The customer pays on the hosted page. With `async_payment` (a SEPA Direct Debit) the
    session completes unpaid and the money settles later: `settle_session`."""
    sweep(account)
    session = account.get(session_id, "checkout.session", "session")
    if session["status"] != "open":
        raise StripeError(f"This Checkout Session is {session['status']} and cannot be paid.")
    if async_payment and "sepa_debit" not in session["payment_method_types"]:
        raise ValueError("SEPA Direct Debit is not offered in this Checkout Session.")
    customer = session["customer"] and account.objects[session["customer"]]
    email = email or session["customer_email"] or (customer and customer["email"]) \
        or "member@example.org"
    if not customer and (session["mode"] == "subscription"
                         or session["customer_creation"] == "always"):
        customer = new_customer(account, email=email, name=name)
    session.update(customer=customer and customer["id"], customer_details={
        "address": None, "email": email, "name": name, "phone": None, "tax_exempt": "none",
        "tax_ids": []})
    if session["mode"] == "payment":
        intent_data = session["_payment_intent_data"]
        intent = new_payment(account, amount=session["amount_total"],
                             currency=session["currency"], customer=session["customer"],
                             outcome="processing" if async_payment else "succeeded",
                             method=SEPA_DEBIT if async_payment else CARD,
                             description=intent_data.get("description"),
                             metadata=metadata(intent_data))
        session.update(payment_intent=intent["id"],
                       payment_status="unpaid" if async_payment else "paid")
    else:
        subscription, invoice = start_subscription(
            account, customer, session["_lines"], metadata(session["_subscription_data"]),
            async_payment=async_payment)
        session.update(subscription=subscription["id"], invoice=invoice["id"],
                       payment_status="unpaid" if async_payment else "paid")
    session.update(status="complete", url=None)
    account.record("checkout.session.completed", session)
    return session


def settle_session(account, session_id, *, succeeded):
    """The delayed payment of a completed session succeeds or fails. For a subscription it is
    the first invoice's debit: its invoice is paid (and the subscription active) or its
    payment failed (the subscription stays incomplete, to expire)."""
    session = account.get(session_id, "checkout.session", "session")
    if session["mode"] == "subscription" and session["invoice"]:
        invoice = account.objects[session["invoice"]]
        intent = first_intent(account, invoice)
        if not intent or intent["status"] != "processing":
            raise StripeError(f"Checkout Session {session_id} has no payment waiting to settle.")
        settle_invoice(account, invoice, intent, succeeded=succeeded)
    else:
        intent = session["payment_intent"] and account.objects[session["payment_intent"]]
        if not intent or intent["status"] != "processing":
            raise StripeError(f"Checkout Session {session_id} has no payment waiting to "
                              "settle.")
        settle_payment(account, intent, succeeded=succeeded)
    if succeeded:
        session["payment_status"] = "paid"
        account.record("checkout.session.async_payment_succeeded", session)
    else:
        account.record("checkout.session.async_payment_failed", session)
    return session
