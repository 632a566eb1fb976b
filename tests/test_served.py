"""The app behind a real HTTP server (gunicorn as in production, and Werkzeug's as in
development): what the test client cannot show, such as a body too large for the server."""
import http.client
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(database_url):
    """gunicorn in production mode (plain HTTP on loopback) on the test's database."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN", "WEB_CONC"))}
    env.update(COWORKING_ENV="production", SECRET_KEY="a-production-secret",
               SESSION_COOKIE_SECURE="0", DATABASE_URL=database_url,
               RATELIMIT_STORAGE_URI="memory://")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "wsgi:app"], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    try:
        # Requests wait in the listen queue until the worker has loaded the app.
        for line in process.stderr:
            if "Listening at" in line:
                break
        else:
            raise RuntimeError(f"gunicorn did not start (exit code {process.wait()})")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.communicate(timeout=60)


@pytest.fixture
def werkzeug(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(params=["gunicorn", "werkzeug"])
def served(request):
    return request.getfixturevalue(request.param)


def send(base, method, path, body=None, headers=None):
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def test_a_form_too_large_gets_the_413_page_from_a_real_server(served):
    body = "csrf_token=whatever&email=" + "x" * 100_000
    status, headers, page = send(served, "POST", "/login", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413, page[:500]
    assert headers["Content-Type"].startswith("text/html")
    assert "Die Anfrage ist zu groß." in page
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_json_body_too_large_gets_a_413_problem_from_a_real_server(served):
    status, headers, body = send(served, "POST", "/api/v1/auth/tokens", "[" * 100_000,
                                 {"Content-Type": "application/json"})
    assert status == 413 and headers["Content-Type"] == "application/problem+json"


def test_a_real_server_keeps_allow_and_the_security_headers(served):
    status, headers, _ = send(served, "DELETE", "/api/v1/spaces")
    assert status == 405 and "GET" in headers["Allow"]
    status, headers, _ = send(served, "GET", "/static/app.css")
    assert status == 200 and headers["Content-Security-Policy"].startswith("default-src 'self'")
