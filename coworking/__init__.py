"""The coworking booking application: `create_app()` assembles it."""
from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config
from coworking import catalogues, operations, security_headers, templating, text_input
from coworking.unavailable import database_unreachable
from coworking.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config=None):
    app = Flask(__name__, template_folder=str(BASE_DIR / "templates"),
                instance_path=str(BASE_DIR / "instance"))
    app.config.from_object(config or Config())
    if app.config.get("ENV_NAME") != "development":
        # Flask turns debug mode on from FLASK_DEBUG by itself; only development has it.
        app.debug = False
    catalogues.require_compiled(app)
    if app.config["TRUSTED_PROXIES"]:
        # Rate limits key on the client address, so it must be the visitor's, not the proxy's.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        (BASE_DIR / "instance").mkdir(exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    templating.register(app)
    security_headers.register(app)
    text_input.register(app)
    operations.register(app)
    return app


def select_locale():
    """An explicit choice first: the visitor's in this session, then the language a signed-in
    member chose for their account; else what the browser asks for (Accept-Language); else
    German. An API client's Accept-Language is a choice for that request and comes first.
    Outside a request (the command line, whose other output is English) English."""
    if not has_request_context():
        return "en"
    languages = current_app.config["LANGUAGES"]
    choice = session.get("lang")
    if choice in languages:
        return choice
    asked = request.accept_languages.best_match(languages) if request.accept_languages else None
    if asked and request.path.startswith("/api/"):
        return asked
    chosen = _members_language()
    if chosen in languages:
        return chosen
    return asked or "de"


def _members_language():
    """The signed-in member's language, if any. Finding out who is signed in needs the
    database; when that is out of reach (the 503 answer is being written) there is none."""
    try:
        return getattr(current_user, "language", None)
    except Exception as error:
        if database_unreachable(error):
            return None
        raise


def register_extensions(app):
    from coworking.database import configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    with app.app_context():
        configure_engine(db.engine)

    from coworking import audit as _audit  # noqa: F401  (the table and its subscriber)
    from coworking import outbox as _outbox  # noqa: F401  (register the table and the job)
    from coworking.accounts import billing_details as _billing_details  # noqa: F401
    from coworking.accounts import loaders
    from coworking.accounts import research_profile as _research  # noqa: F401  (its table)
    from coworking.billing import holds as _holds  # noqa: F401  (register the jobs)
    from coworking.billing import models as _billing  # noqa: F401  (register tables)
    from coworking.bookings import models as _bookings  # noqa: F401  (register tables)
    from coworking.bookings import idempotency as _keys  # noqa: F401  (the table and its job)
    from coworking.bookings import series as _series  # noqa: F401  (register tables)
    from coworking.bookings import waitlist_service as _waitlist  # noqa: F401  (table, job)
    from coworking.calendars import stamps as _stamps  # noqa: F401  (tables, the subscriber)
    from coworking.calendars import tokens as _feed_tokens  # noqa: F401  (ends feeds with sessions)
    from coworking.checkins import jobs as _checkin_jobs  # noqa: F401  (no-shows, closing time)
    from coworking.checkins import models as _checkins  # noqa: F401  (register tables)
    from coworking.contracts import service as _contracts  # noqa: F401  (tables, the job)
    from coworking.invoicing import issuing as _invoicing  # noqa: F401  (tables, subscribers)
    from coworking.invoicing import retention as _retention  # noqa: F401  (the purge job)
    from coworking.memberships import models as _memberships  # noqa: F401
    from coworking.memberships import orders as _orders  # noqa: F401  (register the table)
    from coworking.operators import models as _operators  # noqa: F401  (register the table)
    # E-mail: the outbox handler, the event subscribers and the reminders job.
    from coworking.notifications import accounts as _account_mail  # noqa: F401
    from coworking.notifications import bookings as _booking_mail  # noqa: F401
    from coworking.notifications import contracts as _contract_mail  # noqa: F401
    from coworking.notifications import mail as _mail  # noqa: F401
    from coworking.notifications import memberships as _membership_mail  # noqa: F401
    from coworking.notifications import reminders as _reminders  # noqa: F401
    from coworking.site import models as _site  # noqa: F401  (register the table)
    from coworking.notifications import waitlist as _waitlist_mail  # noqa: F401
    from coworking.push import sending as _push  # noqa: F401  (Web Push: its table, the outbox topic)
    from coworking.spaces import models as _spaces  # noqa: F401

    loaders.register(login_manager)

    from coworking import online_payments
    from coworking.billing import checkout, gateway, subscriptions

    online_payments.register(app, gateway, checkout, subscriptions)


def register_blueprints(app):
    from coworking.accounts.views import bp as accounts_bp
    from coworking.api import bp as api_bp
    from coworking.billing.views import bp as billing_bp
    from coworking.bookings.views import bp as bookings_bp
    from coworking.bookings.host_views import bp as host_bp
    from coworking.bookings.series_views import bp as series_bp
    from coworking.bookings.space_views import bp as spaces_bp
    from coworking.bookings.waitlist_views import bp as waitlist_bp
    from coworking.calendars.views import bp as calendars_bp
    from coworking.checkins.host_views import bp as host_day_bp
    from coworking.checkins.views import bp as checkins_bp
    from coworking.checkins.host_pages import bp as host_pages_bp
    from coworking.contracts.views import bp as contracts_bp
    from coworking.invoicing.views import bp as invoice_admin_bp
    from coworking.management.admin_views import bp as space_admin_bp
    from coworking.management.views import bp as manage_bp
    from coworking.management.operator_views import bp as operator_admin_bp
    from coworking.memberships.admin_views import bp as plan_admin_bp
    from coworking.memberships.views import bp as memberships_bp
    from coworking.privacy.views import bp as privacy_bp
    from coworking.push.views import bp as push_bp
    from coworking.site.views import bp as site_bp
    from coworking.research.views import bp as research_bp

    app.register_blueprint(spaces_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(bookings_bp)
    app.register_blueprint(series_bp)
    app.register_blueprint(waitlist_bp)
    app.register_blueprint(memberships_bp)
    app.register_blueprint(plan_admin_bp)
    app.register_blueprint(host_bp)
    app.register_blueprint(host_day_bp)
    app.register_blueprint(checkins_bp)
    app.register_blueprint(host_pages_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(space_admin_bp)
    app.register_blueprint(operator_admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(billing_bp)
    app.register_blueprint(calendars_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(push_bp)
    app.register_blueprint(site_bp)
    app.register_blueprint(research_bp)
    app.register_blueprint(contracts_bp)
    app.register_blueprint(invoice_admin_bp)
    csrf.exempt(api_bp)


def register_errorhandlers(app):
    from coworking.errorpages import register

    register(app)


def register_commands(app):
    from coworking.cli import users_cli
    from coworking.jobs import jobs_cli
    from coworking.operations.commands import backup_command, restore_command
    from coworking.research.commands import research_cli
    from coworking.seed import seed_demo_command

    app.cli.add_command(users_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(research_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
