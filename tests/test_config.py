"""Production unless told otherwise: a secret key, Secure cookies, and rate-limit counters that
gunicorn's workers share; development only where COWORKING_ENV=development (or FLASK_DEBUG) asks."""
import subprocess
from pathlib import Path

import pytest

from config import Config
from coworking import create_app

REPO = Path(__file__).resolve().parents[1]
SETTINGS = ("COWORKING_ENV", "FLASK_DEBUG", "SECRET_KEY", "SESSION_COOKIE_SECURE",
            "RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DATABASE_URL")


@pytest.fixture
def environ(monkeypatch):
    """A process environment that sets none of the app's settings; set(name=value) adds some."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)

    class Environ:
        def set(self, **values):
            for name, value in values.items():
                monkeypatch.setenv(name, value)

    return Environ()


def test_without_any_setting_the_app_is_production_and_refuses_to_start(environ):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config()
    environ.set(COWORKING_ENV="staging")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config()


@pytest.mark.parametrize("settings", [{"COWORKING_ENV": "development"},
                                      {"COWORKING_ENV": "Development"},
                                      {"FLASK_DEBUG": "1"}, {"FLASK_DEBUG": "true"}])
def test_development_is_asked_for_and_then_starts_without_a_secret_key(environ, settings):
    environ.set(**settings)
    config = Config()
    assert config.ENV_NAME == "development"
    assert config.SECRET_KEY and config.SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize("settings", [{"FLASK_DEBUG": "0"}, {"FLASK_DEBUG": "false"},
                                      {"COWORKING_ENV": "production", "FLASK_DEBUG": "1"}])
def test_a_debug_flag_that_is_off_or_overruled_leaves_production(environ, settings):
    environ.set(**settings)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config()


def session_cookie(config, database_url):
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    response = app.test_client().get("/login")
    (cookie,) = [value for name, value in response.headers if name == "Set-Cookie"
                 and value.startswith("session=")]
    return cookie


def test_production_marks_the_session_cookie_secure(environ, database_url):
    environ.set(SECRET_KEY="a-production-secret")
    assert "; Secure" in session_cookie(Config(), database_url)


def test_secure_cookies_can_be_turned_off_for_plain_http_on_loopback(environ, database_url):
    environ.set(SECRET_KEY="a-production-secret", SESSION_COOKIE_SECURE="0")
    assert "; Secure" not in session_cookie(Config(), database_url)


def test_development_may_ask_for_secure_cookies(environ, database_url):
    environ.set(COWORKING_ENV="development", SESSION_COOKIE_SECURE="1")
    assert "; Secure" in session_cookie(Config(), database_url)


def test_an_unclear_yes_or_no_is_refused_rather_than_guessed(environ):
    environ.set(SECRET_KEY="a-production-secret", SESSION_COOKIE_SECURE="maybe")
    with pytest.raises(RuntimeError, match="SESSION_COOKIE_SECURE"):
        Config()


def test_the_makefile_runs_flask_in_development():
    lines = subprocess.run(["make", "-n", "-B", "run", "migrate"], cwd=REPO, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    flask_lines = [line for line in lines if "/flask " in line]
    assert flask_lines and all("COWORKING_ENV=development" in line for line in flask_lines), lines
