"""The waiting-list offer by e-mail: which place, until when it is held (in the space's own
time), the link that takes it, and what happens without an answer."""
from flask_babel import gettext as _

from coworking import formatting, links, push
from coworking.notifications import mail


def _when(entry):
    zone = entry.space.zone
    return _("%(date)s, %(start)s–%(end)s",
             date=formatting.long_date(entry.start_at.astimezone(zone).date()),
             start=formatting.local_time(entry.start_at, zone),
             end=formatting.local_time(entry.end_at, zone))


def _until(entry):
    zone = entry.space.zone
    return _("%(date)s, %(time)s",
             date=formatting.medium_date(entry.expires_at.astimezone(zone).date()),
             time=formatting.local_time(entry.expires_at, zone))


def offered(event):
    entry = event.entry
    space = entry.space
    mail.to_user(
        entry.user, "waitlist_offer",
        lambda: _("A place is free for you: %(resource)s in %(town)s, %(when)s",
                  resource=entry.resource.name, town=space.town.name, when=_when(entry)),
        entry=entry, space=space, resource=entry.resource, when=lambda: _when(entry),
        until=lambda: _until(entry),
        accept_url=links.external_url("waitlist.offer", entry_id=entry.id),
        account_url=links.external_url("accounts.account"))
    push.notify(entry.user, lambda: _("A place is free for you"),
                lambda: _("%(resource)s in %(town)s, %(when)s. Held for you until %(until)s.",
                          resource=entry.resource.name, town=space.town.name,
                          when=_when(entry), until=_until(entry)),
                links.external_url("waitlist.offer", entry_id=entry.id),
                tag=f"waitlist-{entry.id}", expires_at=entry.expires_at, urgent=True)
