"""Configuration read from the environment: production unless told otherwise, with
development conveniences only where COWORKING_ENV=development asks for them."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# What development keys pseudonyms with when RESEARCH_KEY is unset; never a real key.
DEV_RESEARCH_KEY = "dev-only-research-key"

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _flag(name, default, environ=os.environ):
    """A yes/no setting; a value that is neither is refused rather than read as either."""
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in _TRUE + _FALSE:
        raise RuntimeError(f"{name} must be 1 or 0 (true/false), not {environ[name]!r}")
    return value in _TRUE


def environment_name(environ=os.environ):
    """"development" only when COWORKING_ENV=development says so; anything else is production,
    so a forgotten setting fails closed. FLASK_DEBUG does not count: a server's environment
    may carry it by accident, and development signs sessions with a published key."""
    explicit = environ.get("COWORKING_ENV", "").strip().lower()
    return "development" if explicit == "development" else "production"


def _check_stripe_pair(key, webhook_secret):
    """Payments online need both: with the key alone members pay at Checkout and every event
    that would confirm their payment is refused; a webhook secret alone means a key is missing."""
    if key and not webhook_secret:
        raise RuntimeError(
            "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not set: every webhook "
            "from Stripe would be refused and no online payment confirmed. Set "
            "STRIPE_WEBHOOK_SECRET to the signing secret (whsec_...) of the endpoint for "
            "/webhooks/stripe, or unset STRIPE_SECRET_KEY to take payments on site.")
    if webhook_secret and not key:
        raise RuntimeError(
            "STRIPE_WEBHOOK_SECRET is set but STRIPE_SECRET_KEY is not set: set both to take "
            "payments online through Stripe, or neither to take them on site.")


def vapid_public_key_of(private_key):
    """The base64url uncompressed P-256 point of a base64url raw private key."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    text = private_key.strip().rstrip("=")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if len(raw) != 32:
        raise ValueError(f"{len(raw)} bytes, not 32")
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    point = key.public_key().public_bytes(serialization.Encoding.X962,
                                          serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).decode().rstrip("=")


def _check_vapid_pair(private_key, public_key, subject):
    """Web Push needs the key pair whole and a contact: push services refuse a signature that
    the public key in members' browsers does not verify, and a claim without a subject."""
    if bool(private_key) != bool(public_key):
        present, missing = (("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY") if private_key
                            else ("VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"))
        raise RuntimeError(
            f"{present} is set but {missing} is not set: set both (one key pair, see README: "
            "Web Push) to send notifications to phones, or neither to send none.")
    if not private_key:
        return
    if not (subject or "").startswith(("mailto:", "https://")):
        raise RuntimeError("VAPID_SUBJECT must be set to a mailto: address (or an https:// "
                           "page) where push services can reach the operator of this site.")
    try:
        derived = vapid_public_key_of(private_key)
    except ValueError as error:
        raise RuntimeError(f"VAPID_PRIVATE_KEY is not a base64url raw P-256 key: {error}") from None
    if derived != public_key.strip().rstrip("="):
        raise RuntimeError("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY: set "
                           "both from the same pair.")


class Config:
    # Read when a configuration is made (see __init__) unless a subclass fixes them.
    ENV_NAME = None
    SECRET_KEY = None
    SESSION_COOKIE_SECURE = None
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'coworking.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    # Both or neither: production refuses to start with one alone (see _check_stripe_pair).
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY") or None
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET") or None
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")
    # Retries of a Stripe request that failed on the way (safe: creating calls carry an
    # idempotency key); each retry waits, and a member may be waiting for the answer.
    STRIPE_MAX_NETWORK_RETRIES = _int("STRIPE_MAX_NETWORK_RETRIES", 2)
    # Plans and passes may be paid by SEPA Direct Debit in Checkout beside cards (enable the
    # payment method in the Stripe account too); a booking's day pass is always card only.
    STRIPE_SEPA_DEBIT = _flag("STRIPE_SEPA_DEBIT", default=True)

    # Without MAIL_SERVER, development prints e-mails to the log; production keeps them
    # queued until it is set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Coworking <coworking@localhost>")
    # 1: require STARTTLS, 0: never (a relay on loopback); unset: whenever the server offers it.
    MAIL_STARTTLS = _flag("MAIL_STARTTLS", None)
    # Certificates to trust for STARTTLS beside the system's (a private relay's own CA).
    MAIL_CA_FILE = os.environ.get("MAIL_CA_FILE") or None

    # Web Push (VAPID, RFC 8292): the pair as base64url raw P-256 keys, both or neither, and
    # the operator's contact for push services. Without them nothing is sent to phones.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY") or None
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY") or None
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT") or None
    # Hosts (comma-separated) whose push endpoints may be plain http on any address: tests'
    # local endpoint. Every other endpoint must be https on a public address.
    PUSH_INSECURE_HOSTS = os.environ.get("PUSH_INSECURE_HOSTS", "")
    # How long one post to a push service may take before the message waits for a retry.
    PUSH_TIMEOUT_SECONDS = float(os.environ.get("PUSH_TIMEOUT_SECONDS") or 10)

    # Keys the pseudonyms of the research export; required where real data is exported.
    RESEARCH_KEY = None
    RESEARCH_MIN_CELL = _int("RESEARCH_MIN_CELL", 5)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Failed sign-ins per e-mail address, and requests per client address (generous:
    # everyone in one space shares its public address).
    RATELIMIT_LOGIN_PER_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_PER_ACCOUNT", "10/minute")
    RATELIMIT_AUTH_PER_ADDRESS = os.environ.get("RATELIMIT_AUTH_PER_ADDRESS", "120/minute")
    RATELIMIT_REGISTER_PER_ADDRESS = os.environ.get("RATELIMIT_REGISTER_PER_ADDRESS", "30/hour")
    # Links sent by e-mail on request (password resets, verification links, address
    # changes): per account or address asked for, and per client address.
    RATELIMIT_MAIL_PER_ACCOUNT = os.environ.get("RATELIMIT_MAIL_PER_ACCOUNT", "5/hour")
    RATELIMIT_MAIL_PER_ADDRESS = os.environ.get("RATELIMIT_MAIL_PER_ADDRESS", "60/hour")
    RATELIMIT_BOOKINGS_PER_MEMBER = os.environ.get("RATELIMIT_BOOKINGS_PER_MEMBER", "30 per 10 minutes")

    # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    PASSWORD_HASH_METHOD = "scrypt"

    # Operations: /metrics only to this bearer token (without it, only from loopback); one
    # JSON line per request on stderr; /readyz fails when the oldest unsent message is older.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    REQUEST_LOG = _flag("REQUEST_LOG", default=True)
    READY_OUTBOX_MAX_AGE_MINUTES = _int("READY_OUTBOX_MAX_AGE_MINUTES", 30)

    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    def __init__(self):
        if self.ENV_NAME is None:
            self.ENV_NAME = environment_name()
        if self.SECRET_KEY is None:
            self.SECRET_KEY = os.environ.get("SECRET_KEY")
        if not self.SECRET_KEY:
            if self.ENV_NAME != "development":
                raise RuntimeError("SECRET_KEY must be set outside development "
                                   "(or set COWORKING_ENV=development on your own machine)")
            self.SECRET_KEY = "dev-only-not-secret"
        if self.ENV_NAME == "production":
            _check_stripe_pair(self.STRIPE_SECRET_KEY, self.STRIPE_WEBHOOK_SECRET)
            _check_vapid_pair(self.VAPID_PRIVATE_KEY, self.VAPID_PUBLIC_KEY, self.VAPID_SUBJECT)
        if self.RESEARCH_KEY is None:
            self.RESEARCH_KEY = os.environ.get("RESEARCH_KEY") or None
        if not self.RESEARCH_KEY and self.ENV_NAME != "production":
            # Production has none: its research export refuses to run without one, rather
            # than key pseudonyms with a value anyone can read here.
            self.RESEARCH_KEY = DEV_RESEARCH_KEY
        if self.SESSION_COOKIE_SECURE is None:
            # Production is served over HTTPS; SESSION_COOKIE_SECURE=0 is for plain HTTP on
            # a loopback address.
            self.SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE",
                                               default=self.ENV_NAME == "production")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    RATELIMIT_STORAGE_URI = "memory://"
    STRIPE_MAX_NETWORK_RETRIES = 0  # a stopped test server is an answer, not a hiccup
    # Tests run without Stripe (payments on site) and without a mail server whatever the
    # environment says; tests of mail start their own.
    STRIPE_SECRET_KEY = None
    MAIL_SERVER = None
    # A key pair for tests only (published here, so it signs nothing real); push endpoints
    # stay https on public hosts unless a test names its local one.
    VAPID_PRIVATE_KEY = "zzTt3nuoX3K2YF4zJaHwQO7nSweL27qPfdkHSMD2z3A"
    VAPID_PUBLIC_KEY = ("BKammq3nDs6d8CXZDBd9XoF-ePovJk6YguiyIPIqKlvoX_3u7Vl0ZawuFLhxqib3p5bk5St"
                        "mZqjUOP9qdndlblY")
    VAPID_SUBJECT = "mailto:push-test@example.org"
    PUSH_INSECURE_HOSTS = ""
    # One round: hashing is not what the tests are about, and scrypt would double their time.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
