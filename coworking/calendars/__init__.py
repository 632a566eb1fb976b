"""Calendars: the members' and hosts' iCalendar feeds, a booking as an .ics file, the secret
feed tokens and the change stamps that let a feed answer 304 without being built."""
