"""Configuration read from the environment, with safe defaults for development."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    ENV_NAME = os.environ.get("COWORKING_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'coworking.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")

    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "coworking@localhost")

    RESEARCH_KEY = os.environ.get("RESEARCH_KEY")
    RESEARCH_MIN_CELL = _int("RESEARCH_MIN_CELL", 5)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Failed sign-ins per e-mail address, and requests per client address (generous:
    # everyone in one space shares its public address).
    RATELIMIT_LOGIN_PER_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_PER_ACCOUNT", "10/minute")
    RATELIMIT_AUTH_PER_ADDRESS = os.environ.get("RATELIMIT_AUTH_PER_ADDRESS", "120/minute")
    RATELIMIT_REGISTER_PER_ADDRESS = os.environ.get("RATELIMIT_REGISTER_PER_ADDRESS", "30/hour")
    RATELIMIT_BOOKINGS_PER_MEMBER = os.environ.get("RATELIMIT_BOOKINGS_PER_MEMBER", "30 per 10 minutes")

    # How many reverse proxies in front set X-Forwarded-For/-Proto (0: none, trust nothing).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    PASSWORD_HASH_METHOD = "scrypt"

    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    def __init__(self):
        if not self.SECRET_KEY:
            if self.ENV_NAME != "development":
                raise RuntimeError("SECRET_KEY must be set outside development")
            self.SECRET_KEY = "dev-only-not-secret"


class TestConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    RATELIMIT_STORAGE_URI = "memory://"
    # One round: hashing is not what the tests are about, and scrypt would double their time.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
