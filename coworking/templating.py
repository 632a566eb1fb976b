"""Template filters: local times and dates in the visitor's language."""
from datetime import timedelta

from flask_babel import format_date, get_locale

from coworking import clock


def local_time(instant, space):
    return instant.astimezone(space.zone).strftime("%H:%M")


def local_date(instant, space):
    return instant.astimezone(space.zone).date()


def iso_local(instant, space):
    """`2027-03-29T09:00:00+02:00` in the space's zone, as links and forms carry times."""
    return clock.iso_local(instant, space.zone)


def long_date(day):
    return format_date(day, "full")


def short_date(day):
    return format_date(day, "EEE d.M." if str(get_locale()) == "de" else "EEE M/d")


def register(app):
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    app.add_template_filter(iso_local)
    app.add_template_filter(long_date)
    app.add_template_filter(short_date)
    app.add_template_global(lambda: str(get_locale()), "current_locale")
    app.add_template_global(timedelta, "timedelta")
