"""The coworking booking application: `create_app()` assembles it."""
from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BASE_DIR, Config
from coworking import catalogues, operations, security_headers, templating, text_input
from coworking.extensions import babel, csrf, db, limiter, login_manager, migrate
from coworking.unavailable import database_unreachable


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

    from coworking import (
        reactions,
        tables,  # noqa: F401  (every table, for the metadata)
    )
    from coworking.accounts import loaders

    reactions.register()
    loaders.register(login_manager)

    from coworking import online_payments
    from coworking.billing.online import StripePayments

    online_payments.plug_in(StripePayments())


def register_blueprints(app):
    from coworking.accounts.views import bp as accounts_bp
    from coworking.api import bp as api_bp
    from coworking.billing.views import bp as billing_bp
    from coworking.bookings.host_views import bp as host_bp
    from coworking.bookings.series_views import bp as series_bp
    from coworking.bookings.views import bp as bookings_bp
    from coworking.browse.views import bp as spaces_bp
    from coworking.calendars.views import bp as calendars_bp
    from coworking.checkins.host_pages import bp as host_pages_bp
    from coworking.checkins.host_views import bp as host_day_bp
    from coworking.checkins.views import bp as checkins_bp
    from coworking.companies.views import bp as companies_bp
    from coworking.contracts.views import bp as contracts_bp
    from coworking.directory.views import bp as directory_bp
    from coworking.invoicing.views import bp as invoice_admin_bp
    from coworking.management.admin_views import bp as space_admin_bp
    from coworking.management.operator_views import bp as operator_admin_bp
    from coworking.management.photo_views import bp as space_photos_bp
    from coworking.management.views import bp as manage_bp
    from coworking.memberships.admin_views import bp as plan_admin_bp
    from coworking.memberships.views import bp as memberships_bp
    from coworking.privacy.views import bp as privacy_bp
    from coworking.push.views import bp as push_bp
    from coworking.research.views import bp as research_bp
    from coworking.site.views import bp as site_bp
    from coworking.space_events.host_views import bp as event_host_bp
    from coworking.space_events.views import bp as space_events_bp
    from coworking.waitlist.views import bp as waitlist_bp

    app.register_blueprint(spaces_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(bookings_bp)
    app.register_blueprint(series_bp)
    app.register_blueprint(waitlist_bp)
    app.register_blueprint(memberships_bp)
    app.register_blueprint(space_photos_bp)
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
    app.register_blueprint(space_events_bp)
    app.register_blueprint(event_host_bp)
    app.register_blueprint(companies_bp)
    app.register_blueprint(directory_bp)
    csrf.exempt(api_bp)


def register_errorhandlers(app):
    from coworking.errorpages import register

    register(app)


def register_commands(app):
    from coworking.cli import users_cli
    from coworking.companies.monthly import companies_cli
    from coworking.jobs import jobs_cli
    from coworking.operations.commands import backup_command, restore_command
    from coworking.research.commands import research_cli
    from coworking.seed import seed_demo_command

    app.cli.add_command(users_cli)
    app.cli.add_command(companies_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(research_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
