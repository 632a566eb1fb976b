"""Headers every response carries, so a browser loads nothing from elsewhere, frames nothing,
guesses no content types and tells other sites nothing about where a visitor came from."""

from urllib.parse import urlsplit

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                           "form-action 'self'")
HSTS = "max-age=31536000; includeSubDomains"
# Where a form's answer may redirect to when the site takes payments online: the browser
# holds that redirect to `form-action` too (Checkout, the Customer Portal).
STRIPE_FORM_TARGETS = ("https://checkout.stripe.com", "https://billing.stripe.com")


def content_security_policy(config):
    """The policy, with Stripe's pages (or the Stripe-compatible server STRIPE_API_BASE names)
    allowed as form targets when Stripe is configured."""
    if not config.get("STRIPE_SECRET_KEY"):
        return CONTENT_SECURITY_POLICY
    base = config.get("STRIPE_API_BASE")
    if base:
        parts = urlsplit(base)
        targets = (f"{parts.scheme}://{parts.netloc}",)
    else:
        targets = STRIPE_FORM_TARGETS
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'",
                                           "form-action 'self' " + " ".join(targets))


def register(app):
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(app.config))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Only where the site is served over HTTPS: a browser would refuse plain HTTP after.
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
