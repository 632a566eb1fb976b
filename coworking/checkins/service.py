"""Checking in and out and marking no-shows: hosts at the front desk, members with the code
of the day. A check-in writes its visit in the same unit of work; a check-out closes it."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coworking import audit, clock, permissions
from coworking.bookings import on_site
from coworking.bookings.models import BookingStatus
from coworking.bookings.service import visible_booking
from coworking.checkins import codes, undo
from coworking.checkins.models import Visit, VisitMethod
from coworking.database import use_case
from coworking.errors import Conflict, Forbidden, InvalidInput, NotFound
from coworking.extensions import db, limiter
from coworking.formatting import local_time, medium_date
from coworking.spaces.models import Space

S = BookingStatus
# A member may check in this long before their booking starts.
EARLY_CHECK_IN = timedelta(minutes=30)
# Wrong codes a member may try before waiting: enough for typos, far too few to guess one.
WRONG_CODES_PER_MEMBER = "10/minute"
# How far back and ahead a code is recognised to explain why it is not today's.
CODE_DAYS_EXPLAINED = 7


def local_today(space, now):
    return now.astimezone(space.zone).date()


# -- The one place a booking is checked in or out, with its visit ----------------------------

def check_in_with_visit(booking, now, method, by=None):
    """Check the booking in and open its visit, in the caller's unit of work."""
    booking.check_in(now)
    visit = Visit(space_id=booking.resource.space_id, user_id=booking.user_id,
                  booking_id=booking.id, checked_in_at=now, check_in_method=method,
                  checked_in_by_id=by.id if by is not None else None)
    db.session.add(visit)
    return visit


def check_out_with_visit(booking, at, method, by=None):
    """Complete the booking and close its visit at `at`, in the caller's unit of work."""
    booking.check_out(at)
    visit = db.session.scalar(select(Visit).where(Visit.booking_id == booking.id))
    if visit is not None and visit.is_open:
        visit.close(max(at, visit.checked_in_at), method, by.id if by is not None else None)
    return visit


# -- Why not ------------------------------------------------------------------------------------

def _time(instant, space, now):
    """`14:30` today, `03.03.2027, 14:30` on another day."""
    day = instant.astimezone(space.zone).date()
    if day == local_today(space, now):
        return local_time(instant, space.zone)
    return f"{medium_date(day)}, {local_time(instant, space.zone)}"


def _over_refusal(booking, now):
    """Why a booking that is cancelled, finished or not yet paid cannot be used, or None."""
    space = booking.resource.space
    if booking.status == S.CANCELLED:
        return _l("This booking is cancelled.")
    if booking.status == S.COMPLETED:
        return _l("This booking is over: checked out at %(time)s.",
                  time=_time(booking.completed_at, space, now))
    if booking.status == S.NO_SHOW:
        return _l("This booking was released at %(time)s because nobody checked in.",
                  time=_time(booking.no_show_at, space, now))
    if booking.status == S.PENDING_PAYMENT:
        return _l("This booking is waiting for its payment; it can be checked in once it is "
                  "paid.")
    return None


def check_in_refusal(booking, now):
    """Why the booking cannot be checked in now, or None (it is confirmed and its time is
    near or under way)."""
    refusal = _over_refusal(booking, now)
    if refusal is not None:
        return refusal
    space = booking.resource.space
    if booking.end_at <= now:
        return _l("This booking is over: it ended at %(time)s.",
                  time=_time(booking.end_at, space, now))
    opens = booking.start_at - EARLY_CHECK_IN
    if now < opens:
        return _l("Check-in opens %(minutes)s minutes before the start, at %(time)s; it is "
                  "earlier than that now.", minutes=int(EARLY_CHECK_IN.total_seconds() // 60),
                  time=_time(opens, space, now))
    return None


def can_check_in_now(booking, now):
    return booking.status == S.CONFIRMED and check_in_refusal(booking, now) is None


# -- The code of the day ------------------------------------------------------------------------

def wrong_code_message(space, day, code):
    if not codes.normalise(code):
        return _l("Please enter the check-in code from the poster at the entrance.")
    for offset in range(1, CODE_DAYS_EXPLAINED + 1):
        for other_day in (day - timedelta(days=offset), day + timedelta(days=offset)):
            if codes.matches(space, other_day, code):
                return _l("This is the code of %(date)s, not today's: the code changes every "
                          "day. Please use the one on the poster at the entrance today.",
                          date=medium_date(other_day))
    for other in db.session.scalars(select(Space).where(Space.id != space.id)):
        if codes.matches(other, local_today(other, clock.utcnow()), code):
            return _l("This is the check-in code of %(other)s, not of %(space)s.",
                      other=other.name, space=space.name)
    return _l("This is not today's check-in code of %(space)s. Please check the code on the "
              "poster at the entrance.", space=space.name)


def check_code(user, space, code, now):
    """Today's code of `space`, or InvalidInput naming `code` (a code of another day or
    space is told apart); too many wrong ones in a minute are RateLimited."""
    if code is None or not codes.normalise(code):
        raise InvalidInput(wrong_code_message(space, local_today(space, now), code),
                           field="code")
    limiter.check(WRONG_CODES_PER_MEMBER, "checkin-code", str(user.id))
    day = local_today(space, now)
    if codes.matches(space, day, code):
        return
    limiter.hit(WRONG_CODES_PER_MEMBER, "checkin-code", str(user.id))
    raise InvalidInput(wrong_code_message(space, day, code), field="code")


# -- Use cases ----------------------------------------------------------------------------------

def _audit(actor, action, booking, before, after=None):
    audit.record(actor.id, action, "booking", booking.id, space_id=booking.resource.space_id,
                 before={"status": before.value},
                 after={"status": (after or booking.status).value})


def _self_check_in(user, booking, code, now):
    check_code(user, booking.resource.space, code, now)
    if booking.status == S.CHECKED_IN:
        return booking
    refusal = check_in_refusal(booking, now)
    if refusal is not None:
        raise Conflict(refusal)
    check_in_with_visit(booking, now, VisitMethod.SELF)
    return booking


def _host_check_in(host, booking, now):
    if booking.status == S.CHECKED_IN:
        return booking
    refusal = check_in_refusal(booking, now)
    if refusal is not None:
        raise Conflict(refusal)
    before = booking.status
    check_in_with_visit(booking, now, VisitMethod.HOST, by=host)
    _audit(host, "booking.checked_in", booking, before)
    undo.remember(host, booking, undo.CHECK_IN, before)
    return booking


@use_case
def check_in(actor, booking_id, code=None, paid_on_site=False):
    """The hosts of its space check a booking in without a code; its member checks in with
    today's code of the space. Checking in twice changes nothing.

    `paid_on_site`: the host has collected what is due on site for it (its day pass, or the
    purchase of the plan covering it) and confirms that in the same step; Conflict when
    nothing was due, and then nothing is checked in either.

    The booking's row is locked and read afresh first, so a no-show decided at the same
    moment (by the job, a host or a walk-in over its desk) and this check-in have exactly
    one outcome: whichever comes second sees what the first did.
    """
    booking = visible_booking(actor, booking_id, for_update=True)
    now = clock.utcnow()
    is_host = permissions.can_check_in(actor, booking)
    if booking.user_id == actor.id and (code is not None or not is_host):
        if paid_on_site:
            raise Forbidden(_l("Only the hosts of its space confirm a payment on site."))
        if code is None:
            raise InvalidInput(_l("Please enter the check-in code from the poster at the "
                                  "entrance."), field="code")
        return _self_check_in(actor, booking, code, now)
    if not is_host:
        raise Forbidden(_l("Only its member or the hosts of its space check a booking in."))
    _host_check_in(actor, booking, now)
    if paid_on_site and on_site.collect(actor, booking) is None:
        raise Conflict(_l("Nothing is to be paid on site for this booking."))
    return booking


@use_case
def self_check_in(user, booking_id, code):
    """The member checks into their own booking with the code (the self check-in page):
    nobody else's, even when they host the space."""
    booking = visible_booking(user, booking_id, for_update=True)
    if booking.user_id != user.id:
        raise NotFound(_l("There is no booking %(id)s for you.", id=booking_id))
    return _self_check_in(user, booking, code, clock.utcnow())


@use_case
def check_out(actor, booking_id):
    """Its member or a host of its space checks a booking out; its time after now is free
    again. Checking out twice changes nothing."""
    booking = visible_booking(actor, booking_id, for_update=True)
    if not permissions.can_check_out(actor, booking):
        raise Forbidden(_l("Only its member or the hosts of its space check a booking out."))
    if booking.status == S.COMPLETED:
        return booking
    if booking.status != S.CHECKED_IN:
        now = clock.utcnow()
        raise Conflict(_over_refusal(booking, now)
                       or _l("This booking is not checked in, so it cannot be checked out."))
    now = clock.utcnow()
    if booking.user_id == actor.id:
        check_out_with_visit(booking, now, VisitMethod.SELF)
    else:
        check_out_with_visit(booking, now, VisitMethod.HOST, by=actor)
        _audit(actor, "booking.checked_out", booking, S.CHECKED_IN)
        undo.remember(actor, booking, undo.CHECK_OUT, S.CHECKED_IN)
    return booking


@use_case
def mark_no_show(actor, booking_id):
    """A host marks a booking nobody checked in for as not come, once start + the space's
    grace period has passed: its time is free again, its credit is not returned."""
    booking = visible_booking(actor, booking_id, for_update=True)
    if not permissions.can_mark_no_show(actor, booking):
        raise Forbidden(_l("Only the hosts of its space mark a booking as not come."))
    if booking.status == S.NO_SHOW:
        return booking
    now = clock.utcnow()
    if booking.status == S.CHECKED_IN:
        raise Conflict(_l("%(name)s is checked in for this booking.", name=booking.user.name))
    refusal = _over_refusal(booking, now)
    if refusal is not None:
        raise Conflict(refusal)
    if not booking.is_overdue(now):
        space = booking.resource.space
        raise Conflict(_l("A booking can be marked as not come %(minutes)s minutes after its "
                          "start, from %(time)s.", minutes=space.no_show_grace_minutes,
                          time=_time(booking.no_show_from(), space, now)))
    booking.mark_no_show(now)
    _audit(actor, "booking.no_show", booking, S.CONFIRMED)
    undo.remember(actor, booking, undo.NO_SHOW, S.CONFIRMED)
    return booking
