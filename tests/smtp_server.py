"""The `smtp_server` fixture: a real SMTP server (aiosmtpd) on a loopback port of its own,
and the app configured to send through it.

    def test_…(smtp_server, …):
        smtp_server.messages          # email.message.EmailMessage objects, as received
        smtp_server.stop()            # refuses connections until start() again
        smtp_server.wait_for(1)       # the first n messages (delivery is synchronous anyway)
        smtp_server.goodbye = "421 …"  # answers QUIT so, after accepting the message
"""
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collect:
    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, _smtp, _session, envelope):
        if self.server.refuse:
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.server.messages.append(message)
        return "250 OK"

    async def handle_QUIT(self, _smtp, _session, _envelope):
        return self.server.goodbye or "221 Bye"


class SmtpServer:
    """A local SMTP server; with `credentials` it wants AUTH LOGIN/PLAIN (over plain TCP,
    as a relay on loopback would)."""

    def __init__(self, credentials=None):
        self.port = free_port()
        self.messages, self.envelopes = [], []
        self.refuse = False
        self.goodbye = None
        self.credentials = credentials
        self.controller = None

    def _authenticate(self, _server, _session, _envelope, mechanism, data):
        ok = (isinstance(data, LoginPassword)
              and (data.login.decode(), data.password.decode()) == self.credentials)
        return AuthResult(success=ok)

    def start(self):
        extra = {}
        if self.credentials:
            extra = {"authenticator": self._authenticate, "auth_require_tls": False,
                     "auth_required": True}
        self.controller = Controller(_Collect(self), hostname="127.0.0.1", port=self.port,
                                     **extra)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app):
    server = SmtpServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port,
                      MAIL_SENDER="Coworking <coworking@example.org>")
    yield server
    server.stop()
