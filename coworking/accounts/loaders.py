"""How a request says who it is: the browser session or an API token, never both.

`g.auth_method` records which one proved it ("session" or "token"); a request that sends
a bearer token is judged by that token alone, so a bad token never falls back to the cookie.
"""
from flask import g, request

from coworking.accounts import service

# Requests that only read: they make no unit of work a token's use could be written in.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_secret(req):
    """The secret of an `Authorization: Bearer` header, "" when it is empty, else None."""
    header = req.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def authenticated_by_token():
    """Whether a valid API token, not the browser session, identified the current user."""
    return g.get("auth_method") == "token"


def register(login_manager):
    """Install the loaders; the app factory calls this once."""

    @login_manager.user_loader
    def load_user(session_id):
        if bearer_secret(request) is not None:
            return None
        user = service.user_for_session(session_id)
        if user is not None:
            g.auth_method = "session"
        return user

    @login_manager.request_loader
    def load_user_from_token(req):
        secret = bearer_secret(req)
        if secret is None:
            return None
        token = service.active_api_token(secret)
        if token is None:
            return None
        user = token.user
        service.note_api_token_use(token, later=req.method not in SAFE_METHODS)
        g.auth_method = "token"
        return user
