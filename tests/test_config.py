"""Production unless told otherwise: a secret key, Secure cookies, and rate-limit counters that
gunicorn's workers share; development only where COWORKING_ENV=development asks (FLASK_DEBUG,
which a server's environment may carry by accident, does not)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from config import Config
from coworking import create_app
from coworking.extensions import db

REPO = Path(__file__).resolve().parents[1]
SETTINGS = ("COWORKING_ENV", "FLASK_DEBUG", "SECRET_KEY", "SESSION_COOKIE_SECURE",
            "RATELIMIT_STORAGE_URI", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "DATABASE_URL",
            "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET")


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
                                      {"COWORKING_ENV": "development", "FLASK_DEBUG": "1"}])
def test_development_is_asked_for_and_then_starts_without_a_secret_key(environ, settings):
    environ.set(**settings)
    config = Config()
    assert config.ENV_NAME == "development"
    assert config.SECRET_KEY and config.SESSION_COOKIE_SECURE is False


@pytest.mark.parametrize("settings", [{"FLASK_DEBUG": "1"}, {"FLASK_DEBUG": "true"},
                                      {"FLASK_DEBUG": "0"}, {"FLASK_DEBUG": "false"},
                                      {"COWORKING_ENV": "production", "FLASK_DEBUG": "1"}])
def test_a_debug_flag_alone_leaves_production_which_refuses_to_start_without_a_key(environ,
                                                                                     settings):
    environ.set(**settings)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Config()


def signed_session(secret_key, user):
    """A session cookie that names `user`, signed with `secret_key`."""
    signer = Flask("signer")
    signer.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(
        {"_user_id": user.get_id(), "_fresh": True})


def test_with_flask_debug_on_a_server_stays_in_production_and_ignores_the_development_key(
        environ, database_url):
    """FLASK_DEBUG=1 left in a server's environment: no debug mode, and a session signed with
    the development key, which anyone can read in config.py, names nobody."""
    from coworking.accounts.service import create_user

    environ.set(FLASK_DEBUG="1", SECRET_KEY="a-production-secret", SESSION_COOKIE_SECURE="0")
    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    app = create_app(config)
    assert app.config["ENV_NAME"] == "production" and app.debug is False
    assert app.secret_key == "a-production-secret"
    with app.app_context():
        admin = create_user("admin@example.org", "Ada Admin", "correct horse", "admin")
        forged = signed_session("dev-only-not-secret", admin)
        genuine = signed_session("a-production-secret", admin)
        db.session.remove()
    client = app.test_client()
    client.set_cookie("session", forged)
    assert client.get("/admin/plans").status_code == 302  # to the sign-in page
    client.set_cookie("session", genuine)
    assert client.get("/admin/plans").status_code == 200


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


def stripe_config(key, webhook_secret):
    """A configuration made with these Stripe settings (None: unset)."""
    class StripeConfig(Config):
        STRIPE_SECRET_KEY = key
        STRIPE_WEBHOOK_SECRET = webhook_secret

    return StripeConfig()


@pytest.mark.parametrize("key,webhook_secret,missing", [
    ("sk_live_x", None, "STRIPE_WEBHOOK_SECRET"),
    ("sk_live_x", "", "STRIPE_WEBHOOK_SECRET"),
    (None, "whsec_x", "STRIPE_SECRET_KEY"),
])
def test_production_refuses_half_of_stripe(environ, key, webhook_secret, missing):
    """A key without the webhook secret would start, take members to Checkout, and then
    refuse every event that confirms their payment; a secret without a key is a typo."""
    environ.set(SECRET_KEY="a-production-secret")
    with pytest.raises(RuntimeError, match=f"{missing} is not set"):
        stripe_config(key, webhook_secret)


@pytest.mark.parametrize("key,webhook_secret", [("sk_live_x", "whsec_x"), (None, None)])
def test_production_starts_with_both_stripe_settings_or_neither(environ, key,
                                                                 webhook_secret):
    environ.set(SECRET_KEY="a-production-secret")
    assert stripe_config(key, webhook_secret).STRIPE_SECRET_KEY == key


def test_development_may_try_a_stripe_key_alone(environ):
    environ.set(COWORKING_ENV="development")
    assert stripe_config("sk_test_x", None).STRIPE_SECRET_KEY == "sk_test_x"


def test_the_makefile_runs_flask_in_development():
    lines = subprocess.run(["make", "-n", "-B", "run", "migrate"], cwd=REPO, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    flask_lines = [line for line in lines if "/flask " in line]
    assert flask_lines and all("COWORKING_ENV=development" in line for line in flask_lines), lines


def gunicorn(tmp_path, *args, **settings):
    """Run gunicorn on wsgi:app with these settings; its exit code and output."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update({"SECRET_KEY": "a-production-secret",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite'}"}, **settings)
    done = subprocess.run([sys.executable, "-m", "gunicorn", *args, "wsgi:app"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("args,settings", [
    (["--workers", "2"], {}),
    (["-w3"], {}),
    ([], {"WEB_CONCURRENCY": "4"}),
    ([], {"GUNICORN_CMD_ARGS": "--workers=2"}),
    (["--preload", "--workers", "2"], {}),
    (["--config", "{conf}"], {}),
])
def test_production_refuses_per_process_rate_limits_with_several_gunicorn_workers(
        tmp_path, args, settings):
    conf = tmp_path / "gunicorn.conf.py"
    conf.write_text("workers = 2\n")
    args = [arg.format(conf=conf) for arg in args]
    code, output = gunicorn(tmp_path, "--check-config", *args, **settings)
    assert code != 0
    assert "RATELIMIT_STORAGE_URI=memory://" in output and "shared store" in output


@pytest.mark.parametrize("args,settings", [
    (["--workers", "1"], {}),
    (["--workers", "4", "--threads", "4"], {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}),
    (["--workers", "4"], {"COWORKING_ENV": "development"}),
])
def test_one_worker_a_shared_store_or_development_start(tmp_path, args, settings):
    code, output = gunicorn(tmp_path, "--check-config", *args, **settings)
    assert code == 0, output


def test_served_by_several_workers_with_memory_counters_gunicorn_does_not_come_up(tmp_path):
    """Not only the configuration check: the workers themselves refuse to boot."""
    code, output = gunicorn(tmp_path, "--workers", "2", "--bind", "127.0.0.1:0")
    assert code != 0
    assert "RATELIMIT_STORAGE_URI=memory://" in output


def test_gunicorn_does_not_come_up_with_a_stripe_key_but_no_webhook_secret(tmp_path):
    code, output = gunicorn(tmp_path, "--check-config", STRIPE_SECRET_KEY="sk_live_x")
    assert code != 0
    assert "STRIPE_WEBHOOK_SECRET is not set" in output


def vapid_config(private_key, public_key, subject="mailto:ops@example.org"):
    """A configuration made with these Web Push settings (None: unset)."""
    class VapidConfig(Config):
        VAPID_PRIVATE_KEY = private_key
        VAPID_PUBLIC_KEY = public_key
        VAPID_SUBJECT = subject

    return VapidConfig()


# A pair for these tests only (the test configuration's).
PRIVATE, PUBLIC = "zzTt3nuoX3K2YF4zJaHwQO7nSweL27qPfdkHSMD2z3A", (
    "BKammq3nDs6d8CXZDBd9XoF-ePovJk6YguiyIPIqKlvoX_3u7Vl0ZawuFLhxqib3p5bk5StmZqjUOP9qdndlblY")
OTHER_PUBLIC = ("BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5"
                "Nksh8U")


@pytest.mark.parametrize("private_key, public_key, message", [
    (PRIVATE, None, "VAPID_PRIVATE_KEY is set but VAPID_PUBLIC_KEY is not set"),
    (None, PUBLIC, "VAPID_PUBLIC_KEY is set but VAPID_PRIVATE_KEY is not set"),
    (PRIVATE, OTHER_PUBLIC, "VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY"),
    ("not-a-key", PUBLIC, "VAPID_PRIVATE_KEY is not a base64url raw P-256 key"),
])
def test_production_refuses_vapid_keys_that_are_not_one_pair(environ, private_key, public_key,
                                                             message):
    environ.set(SECRET_KEY="s3cret")
    with pytest.raises(RuntimeError, match=message):
        vapid_config(private_key, public_key)


def test_production_wants_a_contact_for_push_services(environ):
    environ.set(SECRET_KEY="s3cret")
    with pytest.raises(RuntimeError, match="VAPID_SUBJECT must be set"):
        vapid_config(PRIVATE, PUBLIC, subject=None)


def test_production_starts_with_one_vapid_pair_or_none(environ):
    environ.set(SECRET_KEY="s3cret")
    assert vapid_config(PRIVATE, PUBLIC).VAPID_PUBLIC_KEY == PUBLIC
    assert vapid_config(None, None, subject=None).VAPID_PRIVATE_KEY is None
