"""How a request says who it is: the browser session or an API token, never both."""
from coworking.accounts import service


def bearer_secret(req):
    """The secret of an `Authorization: Bearer` header, "" when it is empty, else None."""
    header = req.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def register(login_manager):
    """Install the loaders; the app factory calls this once."""

    @login_manager.user_loader
    def load_user(session_id):
        return service.user_for_session(session_id)

    @login_manager.request_loader
    def load_user_from_token(req):
        secret = bearer_secret(req)
        if secret is None:
            return None
        return service.user_for_api_token(secret)
