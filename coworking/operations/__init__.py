"""What an operator needs to see and do: health and readiness, metrics, one log line per
request with its id, and backups."""


def register(app):
    from coworking.operations import requests
    from coworking.operations.views import bp

    requests.register(app)
    app.register_blueprint(bp)
