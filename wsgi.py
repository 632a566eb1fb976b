"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from coworking import create_app

app = create_app()
