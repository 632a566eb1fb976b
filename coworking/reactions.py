"""Every reaction to every event, every outbox handler and every periodic job, in one place.

A package that records an event imports none of the packages that react to it; the reactions
are wired here instead, explicitly, so this module is the one list of what happens when.

- In the unit of work (`events.subscribe`): subscribers run before the commit, in the order
  listed, and whatever they write commits with the change or not at all.
- After the commit (`outbox.handle`): the outbox keeps a message for an event only when its
  topic has a handler here; a worker hands it over at least once. To react to an event after
  the commit (a web push, a webhook), add its topic and handler to `OUTBOX_HANDLERS`.
- Periodic jobs (`jobs.register`): `flask jobs run` and `flask jobs work` run each of them.

`create_app` calls `register()`; it wires once per process, as the registries are per process
too, so a second app (tests make many) changes nothing.
"""
from coworking import audit, events, jobs, outbox
from coworking.accounts import events as account_events
from coworking.billing import holds
from coworking.bookings import events as booking_events, idempotency, on_site
from coworking.calendars import stamps, tokens
from coworking.checkins import jobs as checkin_jobs, undo
from coworking.companies import (
    cover as company_cover,
    monthly as company_invoices,
    service as companies,
)
from coworking.contracts import models as contract_events, service as contracts
from coworking.invoicing import issuing, retention
from coworking.management.hour_changes import SpaceChangeNotice
from coworking.memberships import models as membership_events
from coworking.memberships.payment_undo import PaymentConfirmationUndone
from coworking.notifications import (
    accounts as account_mail,
    bookings as booking_mail,
    contracts as contract_mail,
    mail,
    memberships as membership_mail,
    reminders,
    site as site_mail,
    space_events as event_mail,
    waitlist as waitlist_mail,
)
from coworking.push import sending as push_sending, service as push_service
from coworking.site.feedback import AccessibilityFeedback
from coworking.space_events import events as space_event_events, waiting as event_waiting
from coworking.waitlist import service as waitlist

# Event type -> its subscribers in the unit of work, in the order they run. A subscriber of a
# base class (BookingEvent, Event) hears every subclass after the subclass's own subscribers.
SUBSCRIBERS = [
    # The audit log: every audited action, in the same transaction.
    (audit.Audited, audit.write),
    # Calendar feeds: a booking that changes marks its member's and its space's feeds changed.
    (booking_events.BookingEvent, stamps.mark_changed),
    # Ending a member's sign-in credentials ends their calendar feeds too.
    (account_events.CredentialsEnded, tokens.retire_feeds),
    # ...and the notifications on their phones.
    (account_events.CredentialsEnded, push_service.forget_devices),
    # A released desk owes nothing for its day pass.
    (booking_events.BookingNoShow, on_site.nothing_owed_for_a_no_show),
    # A day pass collected at the door can be undone: remember what was collected.
    (booking_events.CollectedOnSite, undo.remember_collection),
    # Invoices: issued when a payment settles, credited when it is refunded or taken back.
    (membership_events.PaymentSettled, issuing.issue_on_settlement),
    (membership_events.PaymentRefunded, issuing.credit_on_refund),
    (PaymentConfirmationUndone, issuing.cancel_on_undo),
    # The waiting list: a place that becomes free is offered to the first member waiting.
    (booking_events.BookingCancelled, waitlist.booking_freed),
    (booking_events.BookingNoShow, waitlist.booking_freed),
    (booking_events.BookingExpired, waitlist.booking_freed),
    (booking_events.BookingMoved, waitlist.booking_freed),
    (booking_events.BookingChanged, waitlist.booking_freed),
    # Companies: a cancelled or moved booking billed to a company changes what it pays for;
    # a deleted account leaves its company.
    (booking_events.BookingCancelled, company_cover.release_on_cancel),
    (booking_events.BookingChanged, company_cover.follow_change),
    (account_events.AccountDeleted, companies.leave_with_account),
    # Calendar feeds of events: a registration or an event that changes.
    (space_event_events.RegistrationChanged, stamps.registration_changed),
    (space_event_events.SpaceEventChanged, stamps.space_event_changed),
    # E-mails, each queued in the outbox (topic "mail") with the change that causes it.
    (account_events.VerificationRequested, account_mail.verification),
    (account_events.PasswordResetRequested, account_mail.password_reset),
    (account_events.EmailChangeRequested, account_mail.email_change_requested),
    (account_events.EmailChanged, account_mail.email_changed),
    (account_events.HostInvited, account_mail.host_invited),
    (booking_events.BookingConfirmed, booking_mail.confirmed),
    (booking_events.SeriesBooked, booking_mail.series_booked),
    (booking_events.BookingCancelled, booking_mail.cancelled),
    (booking_events.BookingMoved, booking_mail.moved),
    (booking_events.BookingExpired, booking_mail.expired),
    (booking_events.BookingNoShow, booking_mail.no_show),
    (SpaceChangeNotice, booking_mail.space_changed),
    (membership_events.MembershipActivated, membership_mail.activated),
    (membership_events.MembershipPastDue, membership_mail.past_due),
    (membership_events.MembershipEnded, membership_mail.ended),
    (membership_events.PaymentCredited, membership_mail.credited),
    (contract_events.CancellationReceived, contract_mail.received),
    (contract_events.CancellationConfirmed, contract_mail.confirmed),
    (waitlist.WaitlistOffered, waitlist_mail.offered),
    (space_event_events.GuestRegistered, event_mail.guest_registered),
    (space_event_events.PlaceOffered, event_mail.place_offered),
    (space_event_events.SpaceEventChanged, event_mail.event_changed),
    (AccessibilityFeedback, site_mail.accessibility_feedback),
    # Last: an event whose topic has an outbox handler becomes an outbox message.
    (events.Event, outbox.store),
]

# Outbox topic -> its handlers after the commit. Only these topics get outbox messages.
OUTBOX_HANDLERS = [
    (mail.TOPIC, mail.deliver),
    # Web Push: one message per device, beside the e-mails that reach the phone too.
    (push_sending.TOPIC, push_sending.deliver),
]

# Mail queued `later` (written when sent) -> how the worker writes it.
MAIL_RENDERERS = [
    # A booking's confirmation, from the booking's row as it committed.
    (booking_mail.CONFIRMED, booking_mail.write_confirmation),
]

# Job name -> the function one pass runs; the last ones act on what the others wrote.
JOBS = [
    ("expire-holds", holds.expire_holds),
    ("prune-booking-keys", idempotency.prune),
    ("offer-waitlist", waitlist.offer_waitlist_job),
    ("mark-no-shows", checkin_jobs.mark_no_shows_job),
    ("close-day", checkin_jobs.close_day_job),
    ("contract-cancellations", contracts.finish_cancellations),
    ("invoice-retention", retention.purge_expired_documents),
    ("send-reminders", reminders.send_reminders),
    ("space-events", event_waiting.space_events_job),
    ("company_invoices", company_invoices.issue_last_month),
]
LAST_JOBS = [
    # The outbox sends what every other job wrote in the same pass.
    ("send-outbox", outbox.deliver),
]


_registered = False


def register():
    global _registered
    if _registered:
        return
    _registered = True
    for event_type, handler in SUBSCRIBERS:
        events.subscribe(event_type, handler)
    for topic, handler in OUTBOX_HANDLERS:
        outbox.handle(topic, handler)
    for kind, renderer in MAIL_RENDERERS:
        mail.renders(kind, renderer)
    for name, func in JOBS:
        jobs.register(name, func)
    for name, func in LAST_JOBS:
        jobs.register(name, func, last=True)
