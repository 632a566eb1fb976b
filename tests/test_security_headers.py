"""Every response, page, API answer, static file or error, tells the browser to load nothing
from elsewhere, frame nothing, sniff nothing and leak no referrer; HSTS only with Secure cookies."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
EXPECTED = {
    "Content-Security-Policy": ("default-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                                "form-action 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
def boom(app):
    """A page that fails unexpectedly, for the 500 answer."""
    def fail():
        raise RuntimeError("unexpected")

    app.add_url_rule("/boom", "boom", fail)
    return "/boom"


@pytest.mark.parametrize("method,path,status", [
    ("GET", "/", 200),
    ("GET", "/login", 200),
    ("GET", "/static/app.css", 200),
    ("GET", "/api/v1/spaces", 200),
    ("GET", "/api/v1/openapi.json", 200),
    ("GET", "/api/v1/me", 401),
    ("GET", "/nothing-here", 404),
    ("GET", "/api/v1/nothing-here", 404),
    ("DELETE", "/", 405),
    ("POST", "/login", 303),  # no CSRF token: back to the form, with a message
])
def test_every_response_carries_the_security_headers(app, client, method, path, status):
    app.config["SESSION_COOKIE_SECURE"] = False
    response = client.open(path, method=method)
    assert response.status_code == status
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (path, name)
    assert "Strict-Transport-Security" not in response.headers


def test_an_unexpected_error_carries_them_too(client, boom):
    response = client.get(boom)
    assert response.status_code == 500
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_is_sent_once_cookies_are_secure(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    for path in ("/", "/api/v1/spaces", "/static/app.css", "/nothing-here"):
        assert client.get(path).headers["Strict-Transport-Security"] == \
            "max-age=31536000; includeSubDomains"


def test_templates_hold_no_inline_script_or_style_the_policy_would_block():
    """Pages only: e-mails (templates/mail) are read in mail programs, where inline styles
    are the only ones that work and no script runs."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)
    found = [f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
             for path in TEMPLATES.rglob("*.html") if path.relative_to(TEMPLATES).parts[0] != "mail"
             for match in inline.finditer(path.read_text())]
    assert not found, found


def test_with_stripe_forms_may_lead_to_its_pages_and_nowhere_else(database_url):
    """A form whose answer redirects to Checkout or the portal is held to `form-action` too."""
    from coworking import create_app
    from tests.factories import make_config

    online = create_app(make_config(database_url, STRIPE_SECRET_KEY="sk_test_x",
                                    STRIPE_API_BASE="http://127.0.0.1:12345"))
    policy = online.test_client().get("/plans").headers["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:12345;" in policy + ";"
    assert "default-src 'self';" in policy
    live = create_app(make_config(database_url, STRIPE_SECRET_KEY="sk_live_x"))
    policy = live.test_client().get("/plans").headers["Content-Security-Policy"]
    assert policy.endswith("form-action 'self' https://checkout.stripe.com https://billing.stripe.com")
