"""Which push endpoints the server posts to: `https` on a public host only, so that a member
cannot make the server send requests into its own network (loopback, private, link-local
addresses), except for the hosts PUSH_INSECURE_HOSTS names (a test's local endpoint).

A name is checked twice: when it is given (its form, and the address if it is one), and when
the server connects (the address the name resolved to, read from the open socket), so a name
that resolves to a private address, now or later, reaches nothing either."""
import ipaddress
from urllib.parse import urlsplit

import requests
from flask import current_app
from flask_babel import lazy_gettext as _l
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool

# Names that never lead to the public internet (RFC 6761, RFC 6762, RFC 8375, common use).
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa",
                    ".localdomain", ".corp", ".private")


class PrivateAddress(RuntimeError):
    """The push endpoint's name led to an address that is not public."""


def insecure_hosts(config=None):
    """PUSH_INSECURE_HOSTS as a set of lower-case host names and addresses."""
    value = (config or current_app.config).get("PUSH_INSECURE_HOSTS") or ""
    return {host.strip().lower().strip("[]") for host in value.split(",") if host.strip()}


def _is_public(address):
    return address.is_global and not address.is_multicast


def endpoint_problem(url):
    """Why the server will not post to `url`, or None when it will."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError:
        return _l("Not a URL.")
    if not parts.scheme or not host:
        return _l("Not a URL.")
    if parts.username is not None or parts.password is not None:
        return _l("A push endpoint carries no user name or password.")
    if host in insecure_hosts():
        return None if parts.scheme in ("http", "https") else _l("Use an https:// address.")
    if parts.scheme != "https":
        return _l("Use an https:// address.")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if not _is_public(address):
            return _l("The push endpoint must be on a public host, not on a private, "
                      "loopback or link-local address.")
        return None
    if "." not in host.strip(".") or host == "localhost" or host.endswith(PRIVATE_SUFFIXES):
        return _l("The push endpoint must be on a public host.")
    return None


class _PublicOnlyConnection(HTTPSConnection):
    """Refuses to talk to a peer whose address is not public, whatever name led there."""

    def _new_conn(self):
        """The socket, checked before a byte (not even TLS's hello) goes over it."""
        sock = super()._new_conn()
        peer = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
        if not _is_public(peer):
            sock.close()
            raise PrivateAddress(f"{self.host} resolved to a non-public address")
        return sock


class _PublicOnlyPool(HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            **self.poolmanager.pool_classes_by_scheme, "https": _PublicOnlyPool}


def session_for(url):
    """A requests session for posting to `url`: public peers only unless its host is one of
    PUSH_INSECURE_HOSTS. No proxy from the environment: the peer checked must be the endpoint."""
    session = requests.Session()
    session.trust_env = False
    host = (urlsplit(url).hostname or "").lower()
    if host not in insecure_hosts():
        session.mount("https://", _PublicOnlyAdapter())
        session.mount("http://", _RefuseAdapter())
    return session


class _RefuseAdapter(HTTPAdapter):
    def send(self, request, *args, **kwargs):
        raise PrivateAddress("plain http is only allowed to PUSH_INSECURE_HOSTS")
