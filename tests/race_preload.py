"""What the fork server of `race_in_processes` loads once, before it forks the racers.

A racer is a process of its own with its own app, as a gunicorn worker is. Spawned afresh,
each one imported the whole application first (seconds each on a busy 2-core machine, for
eight or twenty racers a test). Forked from a server that has imported it and made one app,
a racer starts at once and only makes its own app, which then takes milliseconds. The server
holds no database connection and no app of any racer: those are made after the fork.
"""
from coworking import create_app
from tests import app_cache
from tests.factories import make_config

app_cache.install()
# Imports every view, template helper and reaction, and compiles every URL rule once.
create_app(make_config("sqlite://"))
