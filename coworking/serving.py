"""What the settings need to know about the server running the app: gunicorn's worker count."""
import sys


def gunicorn_workers():
    """How many worker processes gunicorn runs the app in; None when gunicorn does not run it.

    Read from gunicorn's own configuration object, which is on the call stack while gunicorn
    loads the app (in each worker; in the master with --preload or --check-config). It holds
    what every way of setting the number resolved to: --workers/-w, GUNICORN_CMD_ARGS,
    WEB_CONCURRENCY and a configuration file (gunicorn.conf.py or -c). Workers added later
    by a TTIN signal are not seen.
    """
    base = sys.modules.get("gunicorn.app.base")
    if base is None:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        candidate = frame.f_locals.get("self")
        if isinstance(candidate, base.BaseApplication) and candidate.cfg is not None:
            return candidate.cfg.workers
        frame = frame.f_back
    return None
