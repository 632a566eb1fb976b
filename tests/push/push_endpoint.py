"""A push service of our own for tests: a real HTTP server on a loopback port that takes Web
Push messages as a browser's push service would, and a device (a real P-256 key pair and an
auth secret) that decrypts them (RFC 8291, with http_ece) and checks their VAPID signature
(RFC 8292) against the server's public key.

    endpoint = PushEndpoint().start()
    device = Device()
    device.subscription(endpoint.url("phone-1"))   # the body of POST /api/v1/me/push-subscriptions
    endpoint.received                              # [Received(path, headers, body)]
    device.read(received)                          # the decrypted JSON
    endpoint.answer = 410                          # what it answers next
    endpoint.hang = True                           # takes the connection, never answers
"""
import base64
import json
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from requests.structures import CaseInsensitiveDict


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: CaseInsensitiveDict
    body: bytes


class PushEndpoint:
    def __init__(self):
        self.received = []
        self.connections = 0
        self.answer = 201
        self.hang = False
        self._release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                endpoint.connections += 1
                super().setup()

            def do_POST(self):
                if endpoint.hang:
                    endpoint._release.wait(30)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                endpoint.received.append(Received(self.path, CaseInsensitiveDict(self.headers.items()),
                                                  body))
                self.send_response(endpoint.answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def url(self, name):
        return f"{self.origin}/push/{name}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class Device:
    """A browser's side of a subscription: its key pair and auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.public_raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def subscription(self, endpoint):
        """What PushSubscription.toJSON() gives."""
        return {"endpoint": endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(self.public_raw), "auth": b64url(self.auth)}}

    def read(self, received):
        """The message decrypted with this device's private key and auth secret."""
        assert received.headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(received.body, private_key=self.private_key,
                                 auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


def vapid_claims(received, public_key):
    """The claims of the message's VAPID token once its signature is verified against
    `public_key` (base64url, as VAPID_PUBLIC_KEY); AssertionError when it does not verify."""
    scheme, _, params = received.headers["Authorization"].partition(" ")
    assert scheme == "vapid", received.headers["Authorization"]
    values = dict(part.split("=", 1) for part in params.split(","))
    assert values["k"].rstrip("=") == public_key.rstrip("="), "signed with another key"
    header, claims, signature = values["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                    int.from_bytes(raw[32:], "big")),
               f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    return json.loads(unb64url(claims))
