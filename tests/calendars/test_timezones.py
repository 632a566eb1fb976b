"""Every onset a VTIMEZONE implies is a transition zoneinfo knows, and every transition zoneinfo
knows is an onset of the VTIMEZONE: checked by expanding the component as a client would."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from coworking.calendars.timezones import vtimezone

FIRST, LAST = 2020, 2035
START, END = datetime(FIRST, 1, 1, tzinfo=UTC), datetime(LAST + 1, 1, 1, tzinfo=UTC)


def zoneinfo_transitions(zone_name):
    """(UTC instant, offset before, offset after) of every change in [START, END), found hour by
    hour: the zones below change their clocks on the hour (UTC), which the test checks."""
    zone, found = ZoneInfo(zone_name), set()
    at, offset = START, START.astimezone(zone).utcoffset()
    while at < END:
        at += timedelta(hours=1)
        new = at.astimezone(zone).utcoffset()
        if new != offset:
            assert (at - timedelta(seconds=1)).astimezone(zone).utcoffset() == offset
            found.add((at, offset, new))
        offset = new
    return found


def implied_onsets(component):
    """(UTC instant, TZOFFSETFROM, TZOFFSETTO) of every onset of a VTIMEZONE in [START, END):
    DTSTART, RDATEs and RRULE occurrences, local times read in TZOFFSETFROM (RFC 5545)."""
    timezone = icalendar.Timezone.from_ical(component.to_ical())
    found = set()
    for observance in timezone.subcomponents:
        before = observance["TZOFFSETFROM"].td
        after = observance["TZOFFSETTO"].td
        local = [observance["DTSTART"].dt]
        rdates = observance.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            local += [period.dt for period in rdate.dts]
        if "RRULE" in observance:
            rule = observance["RRULE"]
            until = rule.get("UNTIL")
            text = icalendar.vRecur({k: v for k, v in rule.items() if k != "UNTIL"}).to_ical()
            recurrence = rrulestr(text.decode(), dtstart=local[0])
            if until:  # UNTIL is UTC; the onsets are local times in TZOFFSETFROM
                recurrence = recurrence.replace(until=(until[0] + before).replace(tzinfo=None))
            local += list(recurrence.between(local[0], (END + before).replace(tzinfo=None),
                                             inc=True))
        for onset in local:
            instant = (onset - before).replace(tzinfo=UTC)
            if START <= instant < END and before != after:
                found.add((instant, before, after))
    return found


@pytest.mark.parametrize("zone_name", ["Europe/Berlin", "America/New_York",
                                       "Australia/Sydney", "America/Sao_Paulo", "Asia/Tokyo"])
def test_every_onset_of_the_vtimezone_is_a_transition_of_zoneinfo(zone_name):
    assert implied_onsets(vtimezone(zone_name, FIRST, LAST)) == zoneinfo_transitions(zone_name)


def test_berlin_changes_on_the_last_sundays_of_march_and_october_at_one_utc():
    transitions = sorted(zoneinfo_transitions("Europe/Berlin"))
    assert len(transitions) == 2 * (LAST - FIRST + 1)
    assert (datetime(2027, 3, 28, 1, tzinfo=UTC), timedelta(hours=1),
            timedelta(hours=2)) in transitions
    assert (datetime(2027, 10, 31, 1, tzinfo=UTC), timedelta(hours=2),
            timedelta(hours=1)) in transitions
    text = vtimezone("Europe/Berlin", FIRST, LAST).to_ical().decode()
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    # Spring forward reads 02:00 on the clock before the change, autumn 03:00.
    assert "DTSTART:20200329T020000" in text and "DTSTART:20201025T030000" in text


def test_the_check_finds_the_late_spring_onset_of_icalendars_own_zone():
    """Why the zone is built here: icalendar 7.3 writes 03:00 for the spring change."""
    generated = icalendar.Timezone.from_tzinfo(ZoneInfo("Europe/Berlin"),
                                               first_date=datetime(FIRST, 1, 1).date(),
                                               last_date=datetime(LAST, 12, 31).date())
    wrong = implied_onsets(generated) - zoneinfo_transitions("Europe/Berlin")
    assert (datetime(2027, 3, 28, 2, tzinfo=UTC), timedelta(hours=1), timedelta(hours=2)) in wrong


def test_a_rule_that_ends_gets_an_until_and_no_more_onsets():
    """Brazil kept summer time until 2019: the rule stops there, and so do the onsets."""
    text = vtimezone("America/Sao_Paulo", 2015, 2022).to_ical().decode()
    assert "UNTIL=" in text
    assert not [line for line in text.splitlines()
                if line.startswith("DTSTART:202")]  # nothing starts after 2019
