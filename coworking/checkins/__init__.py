"""Check-ins: the host's day, self check-in at the door, no-shows and closing time."""
