"""The app under gunicorn for the benchmarks: on 127.0.0.1, on a free port, stopped by the
caller; and plain HTTP requests that never go through a proxy. Not a benchmark by itself."""
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

from common import REPO

HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, token=None, body=None, timeout=60):
    headers = {"Accept-Language": "en", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers)
    try:
        with HTTP.open(req, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return f"{type(error).__name__}", str(error)


def start_server(database_url, log, workers):
    port = free_port()
    # Production, as deployed: several workers share their rate-limit counters in Redis (the
    # app refuses per-process counters then); the booking limit is lifted, since one bench
    # member books far more often than a person would.
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="bench-only-not-secret",
               COWORKING_ENV="production", SESSION_COOKIE_SECURE="0",
               RATELIMIT_STORAGE_URI=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
               RATELIMIT_BOOKINGS_PER_MEMBER="1000000/minute")
    process = subprocess.Popen(
        [str(REPO / ".venv" / "bin" / "gunicorn"), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "60", "wsgi:app"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while request(f"{base}/api/v1/spaces", timeout=5)[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not come up (exit code {process.poll()})")
            time.sleep(0.2)
        # Let every worker boot and import the app before measuring.
        warm = [threading.Thread(target=request, args=(f"{base}/api/v1/spaces",))
                for _ in range(16)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
    except BaseException:
        stop_server(process)
        raise
    return process, base


def stop_server(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
