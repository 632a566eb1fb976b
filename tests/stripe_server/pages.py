"""The hosted pages a customer's browser visits: Checkout (`/pay/{id}`) and the Billing Portal
(`/portal/{id}`). Plain HTML forms with labelled fields, so a headless browser or a plain
HTTP POST can use them."""
from datetime import UTC, datetime
from html import escape

DECLINED_CARD = "4000000000000002"
TEST_IBAN = "DE89370400440532013000"
METHOD_NAMES = {"card": "Card", "sepa_debit": "SEPA Direct Debit (settles later)"}
_STYLE = ("body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}"
          "label{display:block;margin-top:.8rem}input,select{width:100%;padding:.4rem}"
          "button{margin-top:1rem;padding:.6rem 1.2rem}.error{color:#b00020}")


def _page(title, body, status=200):
    html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
    return html, status


def money(amount, currency):
    return f"{amount / 100:.2f} {currency.upper()}"


def checkout_page(session, error=None, values=None, status=200):
    """The payment form with the methods the session offers; the test card pays, 4000 0000
    0000 0002 is declined, and a SEPA Direct Debit (with an IBAN) completes the session with
    its payment still to settle."""
    if session["status"] != "open":
        return message_page("Checkout closed",
                            f"This Checkout Session is {session['status']}.", 410)
    values = values or {}
    lines = "".join(
        f'<li>{escape(line["description"])} × {line["quantity"]}: '
        f'{money(line["amount_total"], line["currency"])}</li>' for line in session["_lines"])
    cancel = (f'<p><a id="cancel" href="{escape(session["cancel_url"])}">Cancel</a></p>'
              if session["cancel_url"] else "")
    email = values.get("email") or session["customer_email"] or ""
    body = (
        f'<ul id="line-items">{lines}</ul>'
        f'<p id="total">Total: {money(session["amount_total"], session["currency"])}</p>'
        + (f'<p class="error" role="alert">{escape(error)}</p>' if error else "")
        + f'<form method="post" action="/pay/{escape(session["id"])}">'
        f'<label for="email">Email</label>'
        f'<input id="email" name="email" type="email" required value="{escape(email)}">'
        f'<label for="name">Name on card</label>'
        f'<input id="name" name="name" value="{escape(values.get("name", "Test Member"))}">'
        f'<label for="method">Payment method</label><select id="method" name="method">'
        + "".join(f'<option value="{kind}">{METHOD_NAMES[kind]}</option>'
                  for kind in session["payment_method_types"]) + '</select>'
        f'<label for="card">Card number</label>'
        f'<input id="card" name="card" inputmode="numeric" '
        f'value="{escape(values.get("card", "4242 4242 4242 4242"))}">'
        + (f'<label for="iban">IBAN</label><input id="iban" name="iban" '
           f'value="{escape(values.get("iban", TEST_IBAN))}">'
           if "sepa_debit" in session["payment_method_types"] else "") +
        f'<button id="pay" type="submit">Pay</button></form>{cancel}')
    return _page("Pay", body, status)


def card_error(form):
    """Why the card or debit form is refused, or None."""
    if form.get("method", "card") == "sepa_debit":
        iban = "".join(form.get("iban", "").split())
        return None if len(iban) >= 15 else "Your IBAN is incomplete."
    if form.get("method", "card") != "card":
        return "Choose a payment method."
    number = "".join(form.get("card", "").split())
    if not number.isdigit() or len(number) < 12:
        return "Your card number is incomplete."
    if number == DECLINED_CARD:
        return "Your card was declined."
    return None


def message_page(title, text, status=200):
    return _page(title, f'<p id="message">{escape(text)}</p>', status)


def portal_page(portal, subscriptions):
    """The customer's plans, each with a button to cancel at the end of its period."""
    rows = []
    for subscription in subscriptions:
        names = ", ".join(escape(item["_name"]) for item in subscription["items"]["data"])
        end = datetime.fromtimestamp(subscription["current_period_end"], UTC).date()
        if subscription["cancel_at_period_end"]:
            action = f"<p>Ends on {end}</p>"
        else:
            action = (f'<p>Renews on {end}</p><form method="post">'
                      f'<input type="hidden" name="subscription" value="{subscription["id"]}">'
                      f'<button type="submit">Cancel plan</button></form>')
        rows.append(f'<li data-subscription="{subscription["id"]}">{names} '
                    f'({escape(subscription["status"])}){action}</li>')
    back = (f'<p><a id="return" href="{escape(portal["return_url"])}">Return</a></p>'
            if portal["return_url"] else "")
    return _page("Your plans", f'<ul id="subscriptions">{"".join(rows)}</ul>{back}')
