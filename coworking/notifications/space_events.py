"""Telling people about events: a guest's link to confirm, a freed place held for them, and
a change or cancellation of an event they registered for. Every message goes out through
`tell`, the one place another channel (push) is to be added beside the e-mail."""
from types import SimpleNamespace

from flask import current_app
from flask_babel import get_locale, gettext as _

from coworking import formatting, links, push
from coworking.notifications import mail


def _when(event):
    zone = event.space.zone
    return _("%(date)s, %(start)s–%(end)s",
             date=formatting.long_date(event.start_at.astimezone(zone).date()),
             start=formatting.local_time(event.start_at, zone),
             end=formatting.local_time(event.end_at, zone))


def _until(instant, zone):
    return _("%(date)s, %(time)s", date=formatting.medium_date(instant.astimezone(zone).date()),
             time=formatting.local_time(instant, zone))


def _guest(registration, language=None):
    """A guest as the mail templates address a person (no account behind it)."""
    return SimpleNamespace(name=registration.guest_name, email=registration.guest_email,
                           language=language, has_mailbox=True)


def tell(registration, template, subject, language=None, **context):
    """One message about an event to one registrant: a member in their own language, a guest
    in `language` (the one they registered in) or the site's default."""
    event = registration.event
    context = dict(context, event=event, space=event.space, when=lambda: _when(event),
                   title=lambda: event.title_in(str(get_locale())))
    if not registration.is_guest:
        # A member hears of it on their phone too, when they turned notifications on.
        push.notify(registration.user, subject, lambda: f"{context['title']()}, {_when(event)}",
                    _event_url(event), tag=f"event-{event.id}")
        return mail.to_user(registration.user, template, subject, **context)
    guest = _guest(registration, language)
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    return mail.queue(guest.email, mail.render(template, language, subject, user=guest,
                                               **context))


def _event_url(event):
    return links.external_url("space_events.event_page", event_id=event.id)


def guest_registered(happened):
    registration = happened.registration
    tell(registration, "event_guest_confirm",
         lambda: _("Please confirm your registration: %(title)s",
                   title=registration.event.title_in(str(get_locale()))),
         language=str(get_locale()),
         link=links.external_url("space_events.guest", token=happened.secret))


def place_offered(happened):
    registration = happened.registration
    event = registration.event
    url = (links.external_url("space_events.guest", token=happened.secret)
           if registration.is_guest else _event_url(event))
    tell(registration, "event_offer",
         lambda: _("A place is free for you: %(title)s", title=event.title_in(str(get_locale()))),
         accept_url=url,
         until=lambda: _until(registration.offer_expires_at, event.space.zone))


def event_changed(happened):
    event = happened.event
    if happened.cancelled:
        subject = lambda: _("Cancelled: %(title)s", title=event.title_in(str(get_locale())))  # noqa: E731
    else:
        subject = lambda: _("New time or place: %(title)s",  # noqa: E731
                            title=event.title_in(str(get_locale())))
    for registration in happened.registrations:
        tell(registration, "event_changed", subject, cancelled=happened.cancelled,
             url=_event_url(event))
