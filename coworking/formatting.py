"""Local dates, times and money in the visitor's language, in one place for views, rules and
mail."""
from decimal import Decimal

from babel.dates import format_time
from babel.numbers import format_percent
from flask_babel import format_currency, format_date, format_datetime, get_locale, gettext as _


def local_time(instant, zone):
    """`09:30` in the space's zone."""
    return format_time(instant, "HH:mm", tzinfo=zone, locale=get_locale())


def wall_time(value):
    """`08:00` for a wall-clock time or naive date-time, such as opening hours."""
    return format_time(value, "HH:mm", locale=get_locale())


def local_date(instant, zone):
    return instant.astimezone(zone).date()


def medium_date(day):
    """`01.03.2027` in German, `Mar 1, 2027` in English."""
    return format_date(day, "medium")


def short_datetime(instant):
    """`01.03.27, 08:00` in German: an instant in the programme's zone, for admins' pages
    that speak of no one space."""
    return format_datetime(instant, "short")


def long_date(day):
    return format_date(day, "full")


def short_date(day):
    """`Mi. 9.12.` in German, `Wed 9 Dec` in English (British order: the programme is in
    Europe, and "12/9" reads as September to most visitors)."""
    return format_date(day, "EEE d.M." if str(get_locale()) == "de" else "EEE d MMM")


def day_month(day):
    """`22.3.` in German, `22 Mar` in English: a date where the weekday and year are known."""
    return format_date(day, "d.M." if str(get_locale()) == "de" else "d MMM")


def short_date_with_year(day):
    """`Di. 1.6.2027` in German, `Tue 1 Jun 2027` in English: a date of a list that may run
    into another year, such as a series' dates."""
    return format_date(day, "EEE d.M.yyyy" if str(get_locale()) == "de" else "EEE d MMM yyyy")


def money(cents, currency="eur"):
    """`15,00 €` in German, `€15.00` in English: amounts are integer cents inside."""
    return format_currency(Decimal(cents) / 100, currency.upper())


def vat_rate(basis_points):
    """`19 %`, `7,5 %`: a VAT rate kept in basis points (1900 = 19 %)."""
    return format_percent(Decimal(basis_points) / 10000, locale=get_locale(),
                          decimal_quantization=False)


def place_name(resource):
    """"Platz 1 in Mölln": how messages and e-mails name what was booked, so a member with
    bookings in several towns knows which one is meant."""
    return _("%(resource)s in %(town)s", resource=resource.name, town=resource.space.town.name)


def kind_note(resource):
    """The resource's kind, or "" when its name already says it ("Telefonkabine" is a phone
    booth): a kind is shown beside a name, never repeated."""
    label = str(resource.kind.label)
    return "" if label.casefold() in resource.name.casefold() else label


def with_kind(resource):
    """"Platz 1 (Hot-Desk)", but "Telefonkabine" alone."""
    note = kind_note(resource)
    return _("%(name)s (%(kind)s)", name=resource.name, kind=note) if note else resource.name
