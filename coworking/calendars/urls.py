"""Absolute URLs on this site from BASE_URL, with or without a request: feeds and e-mails are
read far from the page that made them."""
from flask import current_app


def site_url(endpoint, _anchor=None, **values):
    """BASE_URL + the endpoint's path (extra values become the query string)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (current_app.config["BASE_URL"].rstrip("/") + path
            + (f"#{_anchor}" if _anchor else ""))
