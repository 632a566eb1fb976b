"""Absolute links to this site, from BASE_URL: for e-mails, calendar files and payment pages,
which are read outside the request that made them (and jobs have no request at all)."""
from urllib.parse import parse_qs, urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException


def site_url(path):
    """`path` on this site as an absolute URL."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def external_url(endpoint, **values):
    """`url_for(endpoint, **values)` as an absolute URL on BASE_URL, with or without a request."""
    anchor = values.pop("_anchor", None)
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme or "https")
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def route_of(path):
    """(endpoint, arguments, query) of a local `path` that a GET would reach on this site, or
    None: what the sign-in page reads from its `next` address to name what waits behind it."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return None
    parts = urlsplit(path)
    try:
        endpoint, args = current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:
        return None
    return endpoint, args, parse_qs(parts.query)
