"""Reading the account e-mails the `smtp_server` fixture received: who got what, and the
links in them."""
import re
from urllib.parse import urlsplit

from coworking import outbox
from coworking.extensions import db


def deliver():
    """One pass of the outbox worker, as `flask jobs run` makes it."""
    db.session.commit()
    return outbox.deliver()


def mails_to(server, address):
    """Every message delivered so far to `address`, oldest first (after one more pass)."""
    deliver()
    return [m for m in server.messages if m["To"] == address]


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message, prefix):
    """The path of the link starting with `prefix` (e.g. "/verify-email/") in the plain text,
    checked to be the same in the HTML part."""
    urls = [url for url in re.findall(r"https?://\S+", text_of(message))
            if urlsplit(url).path.startswith(prefix)]
    assert len(urls) == 1, f"no single {prefix} link in:\n{text_of(message)}"
    assert f'href="{urls[0]}"' in html_of(message)
    return urlsplit(urls[0]).path


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]
