"""What an operator needs to see and do: health and readiness, metrics, one log line per
request with its id, backups, and the admins' status page of the outbox."""


def register(app):
    from coworking.operations import metrics, requests
    from coworking.operations.admin_views import bp as outbox_admin_bp
    from coworking.operations.views import bp
    from coworking.serving import gunicorn_workers

    requests.register(app)
    app.register_blueprint(bp)
    app.register_blueprint(outbox_admin_bp)
    workers = gunicorn_workers()
    if workers and workers > 1 and not metrics.multiprocess_dir():
        app.logger.warning("gunicorn runs %s workers and PROMETHEUS_MULTIPROC_DIR is unset: "
                           "each scrape of /metrics counts one worker's requests", workers)
