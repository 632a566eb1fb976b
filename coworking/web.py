"""Helpers every package's web pages share: where a redirect may lead, a service error beside
its form field, pages not to be stored, and a time read from a form or a query string."""
from urllib.parse import urlsplit

from flask import request

from coworking.clock import parse_instant

# For pages that change by the minute or show one member's own data.
NO_STORE = {"Cache-Control": "no-store"}


def local_path(target):
    """`target` when it is a path on this site, else "". A browser reads a backslash as a
    slash ("/\\evil.example" is another site), and control characters have no place in a
    path."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return ""


def home_url():
    """The site's front page, whichever package serves "/": a page that has nowhere better to
    send a visitor sends them there, without naming a page of a package above its own."""
    return request.script_root + "/"


def safe_next(target):
    """Only redirect to paths on this site after signing in."""
    return local_path(target) or home_url()


def attach_errors(form, error):
    """Show a service error beside its field, or above the form when it names none."""
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
    if not error.errors or not any(hasattr(form, n) for n in error.errors):
        form.form_errors.append(error.message)


def instant_or_none(value):
    """An ISO 8601 instant from a form or a query string; None for anything else."""
    try:
        return parse_instant(value or "")
    except ValueError:
        return None
