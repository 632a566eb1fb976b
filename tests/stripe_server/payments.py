"""Products and prices, customers, PaymentIntents with their charges, and refunds."""
import secrets

from .state import StripeError, allow, boolean, choice, integer, metadata, require

INTERVALS = ("day", "week", "month", "year")
CARD = {"type": "card", "card": {"brand": "visa", "last4": "4242", "exp_month": 12,
                                 "exp_year": 2034, "country": "DE", "funding": "credit"}}
SEPA_DEBIT = {"type": "sepa_debit", "sepa_debit": {"bank_code": "37040044", "country": "DE",
                                                   "last4": "3000"}}


def create_price(account, params):
    allow(params, "currency", "unit_amount", "recurring", "product", "product_data", "nickname",
          "lookup_key", "metadata", "active")
    return new_price(account, params)


def new_price(account, data, prefix=""):
    """A price from `POST /v1/prices` or from a line item's `price_data` (then `prefix` names
    the line item in error messages)."""
    currency = require(data, "currency", f"{prefix}currency").lower()
    unit_amount = integer(require(data, "unit_amount", f"{prefix}unit_amount"),
                          f"{prefix}unit_amount")
    if unit_amount < 0:
        raise StripeError("This value must be greater than or equal to 0.",
                          param=f"{prefix}unit_amount")
    if data.get("product"):
        product = account.get(data["product"], "product", f"{prefix}product")
    else:
        product_data = data.get("product_data") or {}
        product = account.add({
            "id": account.new_id("prod", 14), "object": "product", "active": True,
            "created": account.now(), "description": product_data.get("description"),
            "metadata": metadata(product_data),
            "name": require(product_data, "name", f"{prefix}product_data[name]")})
    recurring = data.get("recurring")
    if recurring:
        recurring = {"interval": choice(recurring, "interval", INTERVALS),
                     "interval_count": integer(recurring.get("interval_count", 1),
                                               f"{prefix}recurring[interval_count]"),
                     "usage_type": "licensed", "meter": None, "trial_period_days": None}
    return account.add({
        "id": account.new_id("price"), "object": "price",
        "active": boolean(data.get("active", "true"), "active"), "billing_scheme": "per_unit",
        "created": account.now(), "currency": currency, "lookup_key": data.get("lookup_key"),
        "metadata": metadata(data), "nickname": data.get("nickname"), "product": product["id"],
        "recurring": recurring, "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount, "unit_amount_decimal": str(unit_amount)})


def create_customer(account, params):
    allow(params, "email", "name", "description", "phone", "metadata", "preferred_locales")
    return new_customer(account, email=params.get("email"), name=params.get("name"),
                        description=params.get("description"), phone=params.get("phone"),
                        metadata=metadata(params),
                        preferred_locales=params.get("preferred_locales") or [])


def new_customer(account, *, email, name=None, description=None, phone=None, metadata=None,
                 preferred_locales=()):
    customer = account.add({
        "id": account.new_id("cus", 14), "object": "customer", "address": None, "balance": 0,
        "created": account.now(), "currency": None, "default_source": None,
        "delinquent": False, "description": description, "email": email,
        "invoice_prefix": secrets.token_hex(4).upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None,
                             "footer": None, "rendering_options": None},
        "metadata": metadata or {}, "name": name, "next_invoice_sequence": 1, "phone": phone,
        "preferred_locales": list(preferred_locales), "shipping": None, "tax_exempt": "none",
        "test_clock": None})
    account.record("customer.created", customer)
    return customer


def new_payment(account, *, amount, currency, customer, outcome="succeeded", method=CARD,
                description=None, metadata=None):
    """A PaymentIntent with its one charge. `outcome` is "succeeded", "processing" (a bank
    debit that settles later) or "failed"."""
    intent_id = account.new_id("pi")
    charge = account.add({
        "id": account.new_id("ch"), "object": "charge", "amount": amount,
        "amount_captured": 0, "amount_refunded": 0, "balance_transaction": None,
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "captured": False, "created": account.now(), "currency": currency,
        "customer": customer, "description": description, "disputed": False,
        "failure_code": None, "failure_message": None, "metadata": {}, "outcome": None,
        "paid": False, "payment_intent": intent_id, "payment_method": account.new_id("pm"),
        "payment_method_details": method, "receipt_email": None, "receipt_url": None,
        "refunded": False, "status": "pending"})
    intent = account.add({
        "id": intent_id, "object": "payment_intent", "amount": amount,
        "amount_capturable": 0, "amount_received": 0, "canceled_at": None,
        "cancellation_reason": None, "capture_method": "automatic",
        "client_secret": f"{intent_id}_{account.new_id('secret')}",
        "confirmation_method": "automatic", "created": account.now(), "currency": currency,
        "customer": customer, "description": description, "last_payment_error": None,
        "latest_charge": charge["id"], "metadata": metadata or {},
        "payment_method": charge["payment_method"], "payment_method_types": [method["type"]],
        "receipt_email": None, "status": "processing"})
    if outcome == "processing":
        account.record("charge.pending", charge)
        account.record("payment_intent.processing", intent)
    else:
        settle_payment(account, intent, succeeded=outcome == "succeeded")
    return intent


def settle_payment(account, intent, *, succeeded):
    """The outcome of a payment: the charge succeeds or fails, and the intent follows."""
    charge = account.objects[intent["latest_charge"]]
    if succeeded:
        charge.update(status="succeeded", paid=True, captured=True,
                      amount_captured=charge["amount"],
                      outcome={"type": "authorized", "network_status": "approved_by_network",
                               "risk_level": "normal", "seller_message": "Payment complete."})
        intent.update(status="succeeded", amount_received=intent["amount"])
        account.record("charge.succeeded", charge)
        account.record("payment_intent.succeeded", intent)
    else:
        charge.update(status="failed", failure_code="insufficient_funds",
                      failure_message="The account has insufficient funds to cover this payment.")
        intent.update(status="requires_payment_method", last_payment_error={
            "type": "card_error", "code": "insufficient_funds", "charge": charge["id"],
            "message": charge["failure_message"]})
        account.record("charge.failed", charge)
        account.record("payment_intent.payment_failed", intent)


def create_refund(account, params):
    allow(params, "payment_intent", "charge", "amount", "reason", "metadata")
    if params.get("payment_intent") and params.get("charge"):
        raise StripeError("You can only specify one of these parameters: charge, payment_intent.",
                          param="charge")
    if params.get("payment_intent"):
        intent = account.get(params["payment_intent"], "payment_intent", "payment_intent")
        if intent["status"] != "succeeded":
            raise StripeError(f"PaymentIntent {intent['id']} does not have a successful charge "
                              "to refund.", param="payment_intent")
        charge = account.objects[intent["latest_charge"]]
    elif params.get("charge"):
        charge = account.get(params["charge"], "charge", "charge")
    else:
        raise StripeError("One of the following params should be provided for this request: "
                          "payment_intent or charge.")
    if charge["status"] != "succeeded":
        raise StripeError(f"Charge {charge['id']} has not succeeded and cannot be refunded.",
                          param="charge")
    remaining = charge["amount"] - charge["amount_refunded"]
    if remaining == 0:
        raise StripeError(f"Charge {charge['id']} has already been refunded.",
                          code="charge_already_refunded")
    amount = integer(params.get("amount", remaining), "amount")
    if not 0 < amount <= remaining:
        raise StripeError(f"Refund amount ({amount}) is greater than unrefunded amount on "
                          f"charge ({remaining})" if amount > 0 else
                          "Invalid positive integer", param="amount")
    refund = account.add({
        "id": account.new_id("re"), "object": "refund", "amount": amount,
        "balance_transaction": None, "charge": charge["id"], "created": account.now(),
        "currency": charge["currency"], "metadata": metadata(params),
        "payment_intent": charge["payment_intent"],
        "reason": choice(params, "reason",
                         (None, "duplicate", "fraudulent", "requested_by_customer")),
        "receipt_number": None, "status": "succeeded"})
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    account.record("refund.created", refund)
    account.record("charge.refunded", charge, previous)
    return refund
