"""Headers every response carries, so a browser loads nothing from elsewhere, frames nothing,
guesses no content types and tells other sites nothing about where a visitor came from."""

CONTENT_SECURITY_POLICY = ("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                           "form-action 'self'")
HSTS = "max-age=31536000; includeSubDomains"


def register(app):
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Only where the site is served over HTTPS: a browser would refuse plain HTTP after.
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
