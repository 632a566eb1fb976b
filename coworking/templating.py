"""Template filters: local times and dates in the visitor's language, from coworking.formatting."""
from datetime import timedelta

from flask_babel import get_locale

from coworking import clock, formatting, links, permissions


def local_time(instant, space):
    """`start|local_time(space)`: the time in the space's zone."""
    return formatting.local_time(instant, space.zone)


def local_date(instant, space):
    return formatting.local_date(instant, space.zone)


def iso_local(instant, space):
    """`2027-03-29T09:00:00+02:00` in the space's zone, as links and forms carry times."""
    return clock.iso_local(instant, space.zone)


def register(app):
    app.add_template_filter(local_time)
    app.add_template_filter(local_date)
    for name in ("wall_time", "medium_date", "long_date", "short_date", "short_date_with_year",
                 "short_datetime", "money", "vat_rate", "place_name", "kind_note", "with_kind"):
        app.add_template_filter(getattr(formatting, name), name)
    app.add_template_filter(iso_local)
    app.add_template_global(lambda: str(get_locale()), "current_locale")
    app.add_template_global(timedelta, "timedelta")
    app.add_template_global(links.site_url)
    # Pages offer a link or button to another package's route only once it exists.
    app.add_template_global(lambda endpoint: endpoint in app.view_functions, "has_endpoint")
    # What the navigation offers depends on who is signed in.
    app.add_template_global(permissions.can_manage_plans)
    app.add_template_global(permissions.hosts_any_space)
    app.add_template_global(permissions.can_create_spaces)
    app.add_template_global(permissions.can_edit_site_pages)
    app.add_template_global(permissions.can_read_research)
