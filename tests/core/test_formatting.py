"""Dates and times shown to people are local and in their language, from one module."""
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import force_locale

from coworking.formatting import (
    day_month,
    local_time,
    long_date,
    medium_date,
    money,
    short_date,
    vat_rate,
    wall_time,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_dates_follow_the_language(app):
    with force_locale("de"):
        assert medium_date(date(2027, 3, 1)) == "01.03.2027"
        assert long_date(date(2027, 3, 1)) == "Montag, 1. März 2027"
        assert short_date(date(2027, 3, 1)) == "Mo. 1.3."
    with force_locale("en"):
        assert medium_date(date(2027, 3, 1)) == "Mar 1, 2027"
        assert short_date(date(2027, 3, 1)) == "Mon 1 Mar"
        assert short_date(date(2026, 12, 9)) == "Wed 9 Dec"
        assert day_month(date(2027, 3, 22)) == "22 Mar"
    with force_locale("de"):
        assert day_month(date(2027, 3, 22)) == "22.3."


def test_times_are_on_the_spaces_clock(app):
    with force_locale("en"):
        assert local_time(datetime(2027, 3, 29, 7, 0, tzinfo=UTC), BERLIN) == "09:00"
        assert local_time(datetime(2027, 3, 1, 8, 0, tzinfo=UTC), BERLIN) == "09:00"
        assert wall_time(time(8, 0)) == "08:00"
        assert wall_time(datetime(2027, 3, 28, 2, 30)) == "02:30"


def test_money_and_vat_rates_are_written_the_local_way(app):
    with force_locale("de"):
        assert money(1500) == "15,00\xa0€"
        assert money(0) == "0,00\xa0€"
        assert money(24900, "EUR") == "249,00\xa0€"
        assert vat_rate(1900) == "19\xa0%"
        assert vat_rate(750) == "7,5\xa0%"
    with force_locale("en"):
        assert money(1500) == "€15.00"
        assert vat_rate(1900) == "19%"
