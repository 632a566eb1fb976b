"""Error handlers in one place: problem+json under /api and /webhooks, pages elsewhere."""
from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from coworking.api.problems import from_domain_error, problem, title_for
from coworking.errors import DomainError
from coworking.extensions import db


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
            return problem(400, title_for(400), error.description, code="csrf")
        return render_template("error.html", status=400, message=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        if _wants_problem():
            return problem(error.code, title_for(error.code), error.description,
                           code=error.name.lower().replace(" ", "-"))
        return render_template("error.html", status=error.code, message=error.description), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error")
        db.session.rollback()
        if _wants_problem():
            return problem(500, title_for(500), "Something went wrong on our side.")
        return render_template("error.html", status=500,
                               message=InternalServerError.description), 500
