"""Error handlers in one place: problem+json under /api and /webhooks, pages elsewhere.

An error page never reads the request body (it may be what the error is about) and never
needs the database (it may be what is down)."""
from urllib.parse import urlsplit, urlunsplit

from flask import flash, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from coworking.errors import DomainError
from coworking.extensions import db, login_manager
from coworking.problems import from_domain_error, problem, title_for
from coworking.ratelimit import RateLimitsUnreachable
from coworking.unavailable import RETRY_AFTER_SECONDS, database_unreachable
from coworking.web import home_url

MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in first."),
    403: _l("You may not do this."),
    404: _l("This page does not exist."),
    405: _l("This action is not possible here."),
    413: _l("The request is too large."),
    415: _l("This kind of content is not accepted here."),
    429: _l("Too many requests. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again later."),
    503: _l("The booking system cannot reach its database right now. Please try again in a "
            "minute."),
}
RATE_LIMITS_UNREACHABLE = _l("This step is not possible right now because a service it needs "
                             "cannot be reached. Please try again in a minute.")
CSRF_MESSAGE = _l("The form has expired. Please reload the page and try again.")
FORM_EXPIRED = _l("The form was open for too long. Please send it again.")


def _message(status, fallback):
    return MESSAGES.get(status, fallback)


def _wants_problem():
    return request.path.startswith(("/api/", "/webhooks/"))


def _same_page(app):
    """The page a form was sent from: its own address when that is a page (the form posts to
    where it is shown), else the same-site page the browser came from, else the start page."""
    try:
        app.url_map.bind_to_environ(request.environ).match(request.path, method="GET")
    except HTTPException:
        pass
    else:
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/") \
            and not referrer.path.startswith("//") and "\\" not in referrer.path:
        return urlunsplit(("", "", referrer.path, referrer.query, ""))
    return home_url()


def _page(status, message, headers=None):
    return (render_template("error.html", status=status, message=message,
                            request_id=g.get("request_id")), status, headers or {})


def _rollback():
    """End the failed transaction; with the database gone, ending it can fail as well (the
    session's teardown then discards the connection)."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        if _wants_problem():
            return from_domain_error(error)
        return _page(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if _wants_problem() or request.is_json:
            return problem(400, title_for(400), CSRF_MESSAGE, code="csrf")
        # A page left open too long (or a session gone meanwhile): back to that page, never a
        # dead end. The page's GET shows the form again with what its address carries.
        flash(FORM_EXPIRED, "error")
        return redirect(_same_page(app), 303)

    @app.errorhandler(HTTPException)
    def http_error(error):
        # What the error itself says the client needs, such as Allow on a 405.
        headers = {name: value for name, value in error.get_headers()
                   if name.lower() != "content-type"}
        message = _message(error.code, error.description)
        if _wants_problem():
            return problem(error.code, title_for(error.code), message,
                           code=error.name.lower().replace(" ", "-"), headers=headers)
        return _page(error.code, message, headers)

    def unavailable(error):
        app.logger.warning("database unreachable: %s", error)
        _rollback()
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _wants_problem():
            return problem(503, title_for(503), MESSAGES[503], code="database-unavailable",
                           headers=headers)
        # The page shows no signed-in user: finding out who that is needs the database.
        g.setdefault("_login_user", login_manager.anonymous_user())
        return _page(503, MESSAGES[503], headers)

    @app.errorhandler(RateLimitsUnreachable)
    def rate_limits_unreachable(error):
        # Sign-in, registration, resets and bookings wait for Redis; the rest of the site works.
        app.logger.warning("rate limits unreachable: %s", error)
        _rollback()
        headers = {"Retry-After": str(error.retry_after)}
        if _wants_problem():
            return problem(503, title_for(503), RATE_LIMITS_UNREACHABLE,
                           code="rate-limits-unavailable", headers=headers)
        return _page(503, RATE_LIMITS_UNREACHABLE, headers)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        if database_unreachable(error):
            return unavailable(error)
        app.logger.exception("unhandled error")
        _rollback()
        if _wants_problem():
            return problem(500, title_for(500), MESSAGES[500])
        return _page(500, MESSAGES[500])
