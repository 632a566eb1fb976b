"""Who may do what: every access decision of views, API and commands is asked here.

Functions take the user and the thing asked about; they never query, so callers load what
they need once. An anonymous user may do nothing that needs an account.
"""


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user):
    return _signed_in(user) and "admin" in user.role_names


def is_signed_in(user):
    return _signed_in(user)


def can_see_event(user, event):
    """Public events for anyone; members-only ones for anyone signed in."""
    return event.visibility == "public" or _signed_in(user)


def can_manage_space(user, space_id):
    """Hosts manage their own spaces only; admins manage every space."""
    return _signed_in(user) and (is_admin(user) or space_id in user.hosted_space_ids())


def can_see_booking(user, booking):
    """Its member, the hosts of its space and admins; for anyone else it does not exist."""
    return _signed_in(user) and (user.id == booking.user_id
                                 or can_manage_space(user, booking.resource.space_id))


def can_cancel_booking(user, booking):
    return can_see_booking(user, booking)


def cancels_as_host(user, booking):
    """A host or admin cancels for the space, so the member's deadline does not bind them."""
    return can_manage_space(user, booking.resource.space_id)


def can_check_in(user, booking):
    """The hosts of its space (the member checks in with the space's code, checked apart)."""
    return can_manage_space(user, booking.resource.space_id)


def can_check_out(user, booking):
    """Its member, or the hosts of its space."""
    return _signed_in(user) and (user.id == booking.user_id or can_check_in(user, booking))


def can_mark_no_show(user, booking):
    """The hosts of its space decide that someone has not come; never the member."""
    return can_manage_space(user, booking.resource.space_id)


def can_run_space_day(user, space_id):
    """The host's day of a space (its bookings with names, walk-ins, today's check-in code):
    its hosts and admins."""
    return can_manage_space(user, space_id)


def hosts_any_space(user):
    """Hosts (of any space) and admins: they reach the host pages (the day, payments on
    site, running a space); which space each may touch is `can_manage_space`'s question."""
    return _signed_in(user) and (is_admin(user) or bool(user.hosted_space_ids()))


def can_list_space_bookings(user, space):
    return can_manage_space(user, space.id)


def can_read_research(user):
    return _signed_in(user) and (is_admin(user) or "researcher" in user.role_names)


def can_manage_plans(user):
    """Plans and prices are the programme's: admins create, change and retire them."""
    return is_admin(user)


def can_confirm_plan_payment(user, plan):
    """A host of a space the plan covers (any host for a plan covering every space), or an
    admin, confirms that it was paid on site."""
    if not _signed_in(user):
        return False
    if is_admin(user):
        return True
    hosted = user.hosted_space_ids()
    return bool(hosted) and (plan.all_spaces or any(space.id in hosted for space in plan.spaces))


def can_confirm_booking_payment(user, booking):
    """A day pass is paid where the desk is: the hosts of its space, or an admin."""
    return can_manage_space(user, booking.resource.space_id)


def can_create_spaces(user):
    """Towns and spaces are the programme's: admins open them."""
    return is_admin(user)


def can_appoint_hosts(user):
    """Admins decide who runs a space; hosts do not appoint one another."""
    return is_admin(user)


def can_edit_site_pages(user):
    """The Impressum and the privacy notice speak for the operator: admins write them."""
    return is_admin(user)


def can_see_outbox(user):
    """The messages the outbox gave up on name members and what was written to them; admins
    see them and send them again."""
    return is_admin(user)


def can_manage_operators(user):
    """Who sells and invoices, with which tax and bank data, is the programme's: admins."""
    return is_admin(user)
