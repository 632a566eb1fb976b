"""A change of hours or a closure racing new bookings for the time it takes away ends
consistent: a booking made first is listed and settled by the change, one made after it is
refused; never a booking outside the hours that nobody settled. Real threads on the real
database: on PostgreSQL the change and the bookings of its space take turns on the space's
row, on SQLite writers take turns anyway."""
import threading
from datetime import date, time

from sqlalchemy import select

from coworking.bookings.models import ACTIVE_STATUSES, Booking
from coworking.bookings.service import book
from coworking.database import unit_of_work
from coworking.errors import DomainError
from coworking.extensions import db
from coworking.management.closures import add_closure
from coworking.management.hours import set_opening_hours
from tests.factories import resources_of
from tests.management.conftest import at

TUESDAY = "2027-03-02"
SHORT_TUESDAY = {"monday": "08:00–18:00", "tuesday": "08:00–15:00",
                 "wednesday": "08:00–18:00", "thursday": "08:00–18:00",
                 "friday": "08:00–18:00"}


def _change_hours(host, space):
    return set_opening_hours(host, space.slug, SHORT_TUESDAY, confirmed=None,
                             effective_from=date(2027, 3, 2), on_conflict="cancel")[1]


def _close_afternoon(host, space):
    return add_closure(host, space.slug, date(2027, 3, 2), date(2027, 3, 2), "Gemeinderat",
                       confirmed=None, start_time=time(15), end_time=time(18),
                       on_conflict="cancel")[1]


def _active_after_three(space):
    """Active bookings that Tuesday reaching past 15:00: what the change took away."""
    db.session.commit()
    ids = [r.id for r in resources_of(space)]
    return db.session.scalars(select(Booking.id).where(
        Booking.resource_id.in_(ids), Booking.status.in_(ACTIVE_STATUSES),
        Booking.end_at > at("15:00", TUESDAY), Booking.start_at < at("18:00", TUESDAY))).all()


def _in_thread(app, work, results, key):
    def run():
        with app.app_context():
            try:
                results[key] = work()
            except DomainError as error:
                results[key] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_booking_made_while_the_hours_change_is_listed_and_settled(app, space, host,
                                                                      make_user):
    """The booking's transaction is still open when the host saves: the change waits for
    it, then finds and cancels it."""
    desk = resources_of(space)[0]
    member_id = make_user(email="mia@example.org").id
    host_id = host.id
    booked, release, results = threading.Event(), threading.Event(), {}

    def book_and_hold():
        from coworking.accounts.models import User
        with unit_of_work():
            booking = book(db.session.get(User, member_id), desk.id, at("16:00", TUESDAY),
                           at("17:00", TUESDAY))
            booked.set()
            release.wait(timeout=30)
            return booking.id

    def change():
        from coworking.accounts.models import User
        return _change_hours(db.session.get(User, host_id), space)

    holder = _in_thread(app, book_and_hold, results, "booking")
    assert booked.wait(timeout=30)
    changer = _in_thread(app, change, results, "change")
    changer.join(timeout=1)
    assert changer.is_alive(), "the change must wait for the booking under way"
    release.set()
    holder.join(timeout=30)
    changer.join(timeout=30)
    assert results["change"] == [{"booking_id": results["booking"], "outcome": "cancelled"}]
    assert _active_after_three(space) == []


def test_a_booking_tried_while_the_hours_change_is_refused(app, space, host, make_user):
    """The change's transaction is still open when the member books: the booking waits,
    then meets the new hours and is refused."""
    desk = resources_of(space)[0]
    member_id = make_user(email="mia@example.org").id
    host_id = host.id
    changed, release, results = threading.Event(), threading.Event(), {}

    def change_and_hold():
        from coworking.accounts.models import User
        with unit_of_work():
            resolved = _change_hours(db.session.get(User, host_id), space)
            changed.set()
            release.wait(timeout=30)
            return resolved

    def try_booking():
        from coworking.accounts.models import User
        return book(db.session.get(User, member_id), desk.id, at("16:00", TUESDAY),
                    at("17:00", TUESDAY))

    holder = _in_thread(app, change_and_hold, results, "change")
    assert changed.wait(timeout=30)
    booker = _in_thread(app, try_booking, results, "booking")
    booker.join(timeout=1)
    assert booker.is_alive(), "the booking must wait for the change under way"
    release.set()
    holder.join(timeout=30)
    booker.join(timeout=30)
    assert results["change"] == []
    assert isinstance(results["booking"], DomainError), results["booking"]
    assert _active_after_three(space) == []


def test_a_closure_racing_many_bookings_leaves_each_settled_or_refused(app, space, host,
                                                                       make_user):
    """Members book the afternoon on every desk while the host closes it: each booking
    that was made is one the closure settled; the others were refused."""
    desks = resources_of(space)
    members = [make_user().id for _ in desks]
    host_id = host.id
    barrier, results, threads = threading.Barrier(len(desks) + 1), {}, []

    def booking_by(member_id, desk_id):
        def run():
            from coworking.accounts.models import User
            barrier.wait(timeout=30)
            return book(db.session.get(User, member_id), desk_id, at("16:00", TUESDAY),
                        at("17:00", TUESDAY)).id
        return run

    def closing():
        from coworking.accounts.models import User
        barrier.wait(timeout=30)
        return _close_afternoon(db.session.get(User, host_id), space)

    for member_id, desk in zip(members, desks):
        threads.append(_in_thread(app, booking_by(member_id, desk.id), results, member_id))
    threads.append(_in_thread(app, closing, results, "closure"))
    for thread in threads:
        thread.join(timeout=60)
    made = {value for key, value in results.items() if key != "closure" and isinstance(value, int)}
    refused = [value for key, value in results.items() if isinstance(value, DomainError)]
    assert len(made) + len(refused) == len(desks), results
    assert {item["booking_id"] for item in results["closure"]} == made
    assert _active_after_three(space) == []
