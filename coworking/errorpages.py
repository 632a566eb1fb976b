"""Error handlers in one place: problem+json under /api and /webhooks, pages elsewhere."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from flask_babel import lazy_gettext as _l

from coworking.problems import from_domain_error, problem, title_for
from coworking.errors import DomainError
from coworking.extensions import db


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
}
CSRF_MESSAGE = _l("The form has expired. Please reload the page and try again.")


def _message(status, fallback):
    return MESSAGES.get(status, fallback)


def _wants_problem():
    return request.path.startswith(("/api/", "/webhooks/"))


def register(app):
    @app.errorhandler(DomainError)
    def domain_error(error):
        if _wants_problem():
            return from_domain_error(error)
        return render_template("error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if _wants_problem():
            return problem(400, title_for(400), CSRF_MESSAGE, code="csrf")
        return render_template("error.html", status=400, message=CSRF_MESSAGE), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        if _wants_problem():
            return problem(error.code, title_for(error.code), _message(error.code, error.description),
                           code=error.name.lower().replace(" ", "-"))
        return (render_template("error.html", status=error.code,
                                message=_message(error.code, error.description)), error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error")
        db.session.rollback()
        if _wants_problem():
            return problem(500, title_for(500), MESSAGES[500])
        return render_template("error.html", status=500, message=MESSAGES[500]), 500
