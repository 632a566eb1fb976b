"""Running a space: its desks and rooms, opening hours, closures and booking rules, kept by
its hosts and by admins, who also open towns and spaces and appoint hosts. Above bookings,
because a change that cuts into bookings says which ones and cancels or moves them."""
