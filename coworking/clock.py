"""Time at the edges: the current instant, strict local wall-clock conversion, ISO output."""
import re
from datetime import UTC, datetime


def utcnow():
    """The current instant; tests replace this function to travel in time."""
    return datetime.now(UTC)


# Far outside any booking, and far enough from datetime's limits that zone arithmetic and
# date navigation never overflow.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000


# ISO 8601's extended format with its "T": Python would also read "2027-03-30 09:00",
# ISO week dates and the basic format, which other clients of the same data may not.
_EXTENDED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")
_OTHER_SEPARATOR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[^T][0-9]{2}:[0-9]{2}")


def parse_instant(text):
    """An ISO 8601 date-time with "T" and an offset, as an aware datetime; ValueError names
    what is wrong ("separator", "offset", "range", or anything else for the format)."""
    if not _EXTENDED.match(text):
        raise ValueError("separator" if _OTHER_SEPARATOR.match(text) else "format")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError("offset")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError("range")
    return value


def wall_clock_problem(naive, zone):
    """Why this wall-clock time cannot name one instant in `zone`, or None if it can.

    A time in the spring-forward gap does not exist; one in the fall-back hour exists
    twice. Both are refused rather than guessed.
    """
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != naive:
            return "nonexistent"
        return "ambiguous"
    return None


def lenient_local_to_utc(naive, zone):
    """Convert stored opening hours, which may touch a DST gap, without refusing them."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC)


def iso_local(instant, zone):
    """`2027-03-29T09:00:00+02:00`: local time with its offset, as the API and UI show it."""
    return instant.astimezone(zone).replace(microsecond=0).isoformat()


def floor_to(instant, origin, step):
    """The latest grid point origin + k*step at or before `instant`."""
    return origin + ((instant - origin) // step) * step


def ceil_to(instant, origin, step):
    floored = floor_to(instant, origin, step)
    return floored if floored == instant else floored + step

