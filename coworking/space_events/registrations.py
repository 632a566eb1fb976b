"""Registering for an event: a member with one tap, a guest with a name and an address that
counts only once its link is followed. Places are counted with the event's row locked, so of
many taps for the last place exactly one gets it; the others go on the waiting list."""
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coworking import clock, events, permissions
from coworking.accounts.models import hash_token, normalize_email
from coworking.accounts.service import email_problem
from coworking.database import savepoint, use_case
from coworking.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from coworking.extensions import db, limiter
from coworking.space_events.events import GuestRegistered, RegistrationChanged
from coworking.space_events.models import (
    CANCELLED,
    CONFIRMED,
    OFFERED,
    OPEN_STATUSES,
    UNCONFIRMED,
    WAITLISTED,
    EventRegistration,
    RegistrationStatus,
    SpaceEvent,
)

NAME_MAX = 120
GUEST_LINK_GONE = _l("This link no longer works: the registration was cancelled, or the event "
                     "is over.")


def _event_for_registration(user, event_id):
    """The event, locked: registrations of one event take turns."""
    if not isinstance(event_id, int) or not 0 < event_id < 2**31:
        raise NotFound(_l("There is no event %(id)s.", id=event_id))
    event = db.session.scalar(
        select(SpaceEvent).where(SpaceEvent.id == event_id).with_for_update(of=SpaceEvent)
        .execution_options(populate_existing=True))
    if event is None or not permissions.can_see_event(user, event):
        raise NotFound(_l("There is no event %(id)s.", id=event_id))
    return event


def refusal(event, now):
    """Why nobody can register now, or None."""
    if event.is_cancelled:
        return _l("This event is cancelled.")
    if event.start_at <= now:
        return _l("This event has already started; registration is closed.")
    return None


def places_taken(event, now):
    """Confirmed registrations and open offers: each takes one place."""
    return db.session.scalar(
        select(func.count()).select_from(EventRegistration)
        .where(EventRegistration.event_id == event.id,
               (EventRegistration.status == CONFIRMED)
               | ((EventRegistration.status == OFFERED)
                  & (EventRegistration.offer_expires_at > now))))


def _has_waiting(event):
    return db.session.scalar(
        select(func.count()).select_from(EventRegistration)
        .where(EventRegistration.event_id == event.id,
               EventRegistration.status.in_((WAITLISTED, OFFERED)))) > 0


def _seat(registration, event, now):
    """A place when one is free and nobody waits before them, else the waiting list."""
    if places_taken(event, now) < event.capacity and not _has_waiting(event):
        registration.status, registration.confirmed_at = CONFIRMED, now
    else:
        registration.status = WAITLISTED


def _open_of_member(event_id, user_id):
    return db.session.scalar(
        select(EventRegistration).where(EventRegistration.event_id == event_id,
                                        EventRegistration.user_id == user_id,
                                        EventRegistration.status.in_(OPEN_STATUSES)))


@use_case
def register_member(user, event_id):
    """One tap: a place, or the waiting list when full. A second tap changes nothing.
    Returns (registration, whether it is new)."""
    event = _event_for_registration(user, event_id)
    now = clock.utcnow()
    problem = refusal(event, now)
    if problem is not None:
        raise Conflict(problem)
    existing = _open_of_member(event.id, user.id)
    if existing is not None:
        return existing, False
    registration = EventRegistration(event_id=event.id, event=event, user_id=user.id,
                                     created_at=now)
    _seat(registration, event, now)
    with savepoint():
        db.session.add(registration)
        db.session.flush()
    events.record(RegistrationChanged(registration))
    return registration, True


@use_case
def register_guest(event_id, name, email, client_address=None):
    """A guest's registration, counted once they follow the link sent to `email`; no account
    is made. The same address twice for one event is refused. Each one sends a mail to an
    address anyone may type, so they are limited per client address as other links are."""
    event = _event_for_registration(None, event_id)
    limiter.hit(current_app.config["RATELIMIT_MAIL_PER_ADDRESS"], "mail-address",
                client_address or "-")
    now = clock.utcnow()
    problem = refusal(event, now)
    if problem is not None:
        raise Conflict(problem)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_l("Please enter your name."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_l("At most %(n)s characters.", n=NAME_MAX), field="name")
    email = normalize_email(email or "")
    problem = email_problem(email)
    if problem is not None:
        raise InvalidInput(problem, field="email")
    already = _l("This e-mail address is already registered for this event.")
    if db.session.scalar(select(EventRegistration.id).where(
            EventRegistration.event_id == event.id, EventRegistration.guest_email == email,
            EventRegistration.status.in_(OPEN_STATUSES))) is not None:
        raise Conflict(already, field="email")
    secret = secrets.token_urlsafe(32)
    registration = EventRegistration(event_id=event.id, event=event, guest_name=name,
                                     guest_email=email, token_hash=hash_token(secret),
                                     status=UNCONFIRMED, created_at=now)
    try:
        with savepoint():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        raise Conflict(already, field="email") from None
    events.record(GuestRegistered(registration, secret))
    return registration


def _guest_registration(secret):
    if not secret or len(secret) > 100:
        raise Gone(GUEST_LINK_GONE)
    registration = db.session.scalar(
        select(EventRegistration).where(EventRegistration.token_hash == hash_token(secret))
        .execution_options(populate_existing=True))
    if registration is None:
        raise Gone(GUEST_LINK_GONE)
    return registration


@use_case
def confirm_guest(secret):
    """The guest followed their link: now they count (a place, or the waiting list). Following
    it again changes nothing."""
    registration = _guest_registration(secret)
    event = _event_for_registration(None, registration.event_id)
    registration = db.session.get(EventRegistration, registration.id, populate_existing=True)
    if registration.status != UNCONFIRMED:
        return registration
    now = clock.utcnow()
    problem = refusal(event, now)
    if problem is not None:
        raise Gone(problem)
    _seat(registration, event, now)
    events.record(RegistrationChanged(registration))
    return registration


def guest_registration(secret):
    """What a guest's link shows: their registration (read only)."""
    return _guest_registration(secret)


def own_registration(user, event_id, registration_id):
    """The registrant's own registration of that event; NotFound for anyone else's."""
    if not isinstance(registration_id, int) or not 0 < registration_id < 2**31:
        raise NotFound(_l("There is no registration %(id)s for you.", id=registration_id))
    registration = db.session.get(EventRegistration, registration_id, populate_existing=True)
    if (registration is None or registration.event_id != event_id
            or not permissions.is_signed_in(user) or registration.user_id != user.id):
        raise NotFound(_l("There is no registration %(id)s for you.", id=registration_id))
    return registration


def _withdraw(registration, now):
    """End it; a place it held goes to the first on the waiting list at once."""
    from coworking.space_events.waiting import offer_freed

    held = registration.holds_place(now)
    registration.end(CANCELLED, now)
    events.record(RegistrationChanged(registration))
    if held:
        db.session.flush()
        offer_freed(registration.event)


@use_case
def cancel_registration(user, event_id, registration_id):
    """The member withdraws; withdrawing twice changes nothing."""
    registration = own_registration(user, event_id, registration_id)
    if registration.status in OPEN_STATUSES:
        _lock(registration.event_id)
        _withdraw(registration, clock.utcnow())
    return registration


@use_case
def cancel_guest(secret):
    registration = _guest_registration(secret)
    if registration.status in OPEN_STATUSES:
        _lock(registration.event_id)
        _withdraw(registration, clock.utcnow())
    return registration


def _lock(event_id):
    db.session.scalar(select(SpaceEvent.id).where(SpaceEvent.id == event_id)
                      .with_for_update(of=SpaceEvent))


def _accept(registration, now):
    if registration.status == CONFIRMED:
        return registration
    if registration.status != OFFERED and registration.status != RegistrationStatus.LAPSED:
        raise Gone(_l("No place is offered to you for this event."))
    if registration.status != OFFERED or registration.offer_expires_at <= now:
        raise Gone(_l("This offer has lapsed."))
    registration.status, registration.confirmed_at = CONFIRMED, now
    events.record(RegistrationChanged(registration))
    return registration


@use_case
def accept_offer(user, event_id, registration_id):
    """Take the place held for them; taking it twice changes nothing."""
    registration = own_registration(user, event_id, registration_id)
    _lock(registration.event_id)
    return _accept(registration, clock.utcnow())


@use_case
def accept_guest_offer(secret):
    registration = _guest_registration(secret)
    _lock(registration.event_id)
    return _accept(registration, clock.utcnow())


def registrations_of_member(user, event_ids):
    """event id -> the member's open or lapsed registration among `event_ids`, one query."""
    if not permissions.is_signed_in(user) or not event_ids:
        return {}
    rows = db.session.scalars(
        select(EventRegistration).where(EventRegistration.user_id == user.id,
                                        EventRegistration.event_id.in_(event_ids),
                                        EventRegistration.status != CANCELLED)
        .order_by(EventRegistration.id)).all()
    return {row.event_id: row for row in rows}


def check_in(actor, registration_id):
    """A host checks an attendee in at the door (from the host's day)."""
    return _check_in(actor, registration_id)


@use_case
def _check_in(actor, registration_id):
    registration = db.session.get(EventRegistration, registration_id, populate_existing=True) \
        if isinstance(registration_id, int) and 0 < registration_id < 2**31 else None
    if registration is None:
        raise NotFound(_l("There is no registration %(id)s.", id=registration_id))
    if not permissions.can_manage_space(actor, registration.event.space_id):
        raise Forbidden(_l("Only the hosts of %(name)s check people in.",
                           name=registration.event.space.name))
    if registration.status != CONFIRMED:
        raise Conflict(_l("Only registrations with a place are checked in."))
    if registration.checked_in_at is None:
        registration.checked_in_at = clock.utcnow()
    return registration
