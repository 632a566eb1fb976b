"""What the calendar tests share: a space, members, feed URLs, and a parse that reads every
calendar with icalendar and, validating, with vobject (an independent parser)."""
from datetime import datetime, time
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject
from sqlalchemy import event

from coworking.extensions import db
from tests.factories import resources_of

# Open day and night, so bookings can cover the hour the clocks change.
AROUND_THE_CLOCK = {d: [(time(0), time(23, 30))] for d in range(7)}


@pytest.fixture
def space(make_space, frozen):
    return make_space(desks=3, rooms=0, hours=AROUND_THE_CLOCK, public_holidays_closed=False)


@pytest.fixture
def desks(space):
    return resources_of(space)


def at(text):
    return datetime.fromisoformat(text)


def feed_path(user, space=None, lang=None):
    """The path of the user's own feed (or, with `space`, of the space's feed for its host)."""
    from coworking.calendars import tokens

    url = tokens.feed_url(tokens.token_for(user, space), lang or "de")
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Parsed:
    """A calendar read twice: `ical` by icalendar, `vobj` by vobject with validation."""

    def __init__(self, data):
        self.text = data.decode() if isinstance(data, bytes) else data
        self.ical = icalendar.Calendar.from_ical(self.text)
        self.vobj = vobject.readOne(self.text, validate=True)

    @property
    def events(self):
        return self.ical.walk("VEVENT")

    def event(self, booking_id):
        (found,) = [e for e in self.events if str(e["UID"]).startswith(f"booking-{booking_id}@")]
        return found

    def vevent(self, booking_id):
        (found,) = [e for e in getattr(self.vobj, "vevent_list", [])
                    if e.uid.value.startswith(f"booking-{booking_id}@")]
        return found


def parse(data):
    return Parsed(data)


class Statements:
    """The SQL statements sent while active, BEGIN (SQLite's, sent as a statement) left out."""

    def __init__(self):
        self.sent = []

    def _record(self, _conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.sent.append(statement)

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._record)

    def __len__(self):
        return len(self.sent)
