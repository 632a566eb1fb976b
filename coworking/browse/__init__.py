"""Seeing a space and its free desks: the overview of all spaces, a space's day as a timeline,
its week, and the time-first panel (pick a time, see what is free). Reads availability from
bookings; books nothing itself."""
