"""Who gets what from every route: each role asks every rule of the URL map, and the answer is
checked against the table below (the Flask tutorial's `test_login_required` and
`test_author_required`, for the whole app at once).

A new route fails `test_every_route_has_a_row` until it has a row in ACCESS: one line with the
expected answer per role. Path parameters are filled from PATH_VALUES; a request that needs a
body or a query string gets it from REQUESTS (by default API writes send `{}` and web forms
send only their CSRF token). API routes are asked with a bearer token, web pages with a session
signed in through the form.

Each role's world is built and signed in once, then saved (the `database_snapshot` fixture):
a case that wrote anything is followed by the saved world put back, with the signed-in
session's cookies as they were, so no answer depends on the order of the rows.
"""
import copy
import re
import uuid
from datetime import date, datetime, time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import inspect, select

from coworking import clock
from coworking.accounts.models import AccountToken, ApiToken, LinkPurpose, User, hash_token
from coworking.accounts.service import create_user, issue_api_token
from coworking.bookings.service import book
from coworking.calendars.tokens import token_for
from coworking.checkins.codes import daily_code
from coworking.database import use_case
from coworking.extensions import db
from coworking.memberships.service import buy
from coworking.spaces.models import Closure
from tests.factories import (
    CONSUMER_BILLING,
    cancellation_link,
    csrf_token,
    give_billing_details,
    give_membership,
    make_plan,
    resources_of,
)

LOGIN = "login"  # a redirect to the sign-in page

# anon: not signed in; owner: the member whose booking it is; other: another member;
# host / host2: host of the booking's space / of another space; research: a researcher.
ROLES = ("anon", "owner", "other", "host", "host2", "admin", "research")

ACCESS = {
    # "METHOD rule[?query]"                               anon   owner  other  host   host2  admin  research
    # Operations: liveness and readiness for anyone (they say nothing private; readiness is
    # 503 here because no periodic job has run in the test world); metrics only from
    # loopback when no METRICS_TOKEN is set, as the test client is.
    "GET /healthz":                                      (200,   200,   200,   200,   200,   200,   200),
    "GET /readyz":                                       (503,   503,   503,   503,   503,   503,   503),
    "GET /metrics":                                      (200,   200,   200,   200,   200,   200,   200),
    "GET /":                                             (200,   200,   200,   200,   200,   200,   200),
    "GET /spaces/<slug>":                                (200,   200,   200,   200,   200,   200,   200),
    "GET /spaces/<slug>/book":                           (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /spaces/<slug>/book":                          (LOGIN, 302,   302,   302,   302,   302,   302),
    # Time first: any free desk for a range, booked by whoever is signed in, for themselves.
    "POST /spaces/<slug>/book-any":                      (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /bookings":                                     (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /bookings/<int:booking_id>/cancel":            (LOGIN, 302,   404,   302,   404,   302,   404),
    # Series bookings: anyone signed in books a series for themselves; a series is its
    # member's alone (404 for anyone else, hosts and admins cancel its dates one by one).
    "GET /spaces/<slug>/series":                         (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /spaces/<slug>/series":                        (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /series/<int:series_id>/cancel":               (LOGIN, 302,   404,   404,   404,   404,   404),
    "GET /login":                                        (200,   200,   200,   200,   200,   200,   200),
    "POST /login":                                       (302,   302,   302,   302,   302,   302,   302),
    "GET /register":                                     (200,   200,   200,   200,   200,   200,   200),
    "POST /register":                                    (302,   302,   302,   302,   302,   302,   302),
    "POST /logout":                                      (302,   302,   302,   302,   302,   302,   302),
    "POST /language":                                    (302,   302,   302,   302,   302,   302,   302),
    "POST /api/v1/auth/register":                        (201,   201,   201,   201,   201,   201,   201),
    "POST /api/v1/auth/tokens":                          (201,   201,   201,   201,   201,   201,   201),
    "GET /api/v1/me":                                    (401,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/me/tokens":                             (401,   200,   200,   200,   200,   200,   200),
    "DELETE /api/v1/me/tokens/<int:token_id>":           (401,   204,   404,   404,   404,   404,   404),
    "GET /account":                                      (LOGIN, 200,   200,   200,   200,   200,   200),
    # Web Push: the service worker is public (it holds nothing personal); a member stores and
    # ends only their own subscriptions (another's is 404 in the API, a no-op on the page).
    "GET /sw.js":                                        (200,   200,   200,   200,   200,   200,   200),
    "POST /api/v1/me/push-subscriptions":                (401,   201,   201,   201,   201,   201,   201),
    "DELETE /api/v1/me/push-subscriptions/<int:subscription_id>": (401, 204, 404, 404, 404, 404, 404),
    "POST /account/push-subscriptions/<int:subscription_id>/delete": (LOGIN, 302, 302, 302, 302, 302, 302),
    # Each section of the account page changes the signed-in user's own account only.
    "POST /account/name":                                (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/language":                            (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/reminders":                           (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/research":                            (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /account/export":                               (LOGIN, 200,   200,   200,   200,   200,   200),
    "GET /account/export/page":                          (LOGIN, 200,   200,   200,   200,   200,   200),
    "GET /account/delete":                               (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /account/delete":                              (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /api/v1/me/research":                           (401,   200,   200,   200,   200,   200,   200),
    "PUT /api/v1/me/research":                           (401,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/me/export":                             (401,   200,   200,   200,   200,   200,   200),
    "DELETE /api/v1/me":                                 (401,   204,   204,   204,   204,   204,   204),
    "POST /account/email":                               (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/password":                            (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/email/verification":                  (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/tokens":                              (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /account/sessions/end":                        (LOGIN, 302,   302,   302,   302,   302,   302),
    # Links from e-mails work for whoever holds them (here the owner's), signed in or not;
    # a reset sends everyone on to the sign-in page.
    "GET /verify-email/<token>":                         (302,   302,   302,   302,   302,   302,   302),
    "GET /confirm-email/<token>":                        (302,   302,   302,   302,   302,   302,   302),
    "GET /password/forgot":                              (200,   200,   200,   200,   200,   200,   200),
    "POST /password/forgot":                             (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "GET /password/reset/<token>":                       (200,   200,   200,   200,   200,   200,   200),
    "POST /password/reset/<token>":                      (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "POST /api/v1/auth/password-reset":                  (202,   202,   202,   202,   202,   202,   202),
    "POST /api/v1/auth/password-reset/confirm":          (204,   204,   204,   204,   204,   204,   204),
    # Anyone else gets "you have no token N" on the account page: nothing about whose it is.
    "POST /account/tokens/<int:token_id>/revoke":        (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /api/v1/spaces":                                (200,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/spaces/<slug>/resources":               (200,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/spaces/<slug>/availability":            (200,   200,   200,   200,   200,   200,   200),
    "POST /api/v1/bookings":                             (401,   201,   201,   201,   201,   201,   201),
    "GET /api/v1/bookings":                              (401,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/bookings?space=<slug>":                 (401,   403,   403,   200,   403,   200,   403),
    "GET /api/v1/bookings/<int:booking_id>":             (401,   200,   404,   200,   404,   200,   404),
    "POST /api/v1/bookings/<int:booking_id>/cancel":     (401,   200,   404,   200,   404,   200,   404),
    "GET /api/v1/openapi.json":                          (200,   200,   200,   200,   200,   200,   200),
    # Calendars: a feed's secret is its key, whoever asks; a space's feed is its hosts'.
    "GET /calendar/<secret>.ics":                        (200,   200,   200,   200,   200,   200,   200),
    "POST /account/calendar/rotate":                     (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /account/calendar/spaces/<slug>/rotate":       (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /api/v1/bookings/<int:booking_id>/ics":         (401,   200,   404,   200,   404,   200,   404),
    "POST /api/v1/me/calendar-token":                    (401,   201,   201,   201,   201,   201,   201),
    # The owner's plan has no Stripe subscription: 409 over the API, a message on the account page.
    "POST /api/v1/memberships/<int:membership_id>/portal": (401,  409,   404,   404,   404,   404,   404),
    "POST /billing/memberships/<int:membership_id>/portal": (LOGIN, 302, 404,   404,   404,   404,   404),
    # A payment is its member's alone; the owner's is paid on site (no Stripe configured here).
    "GET /billing/payments/<int:payment_id>":            (LOGIN, 200,   404,   404,   404,   404,   404),
    "POST /billing/payments/<int:payment_id>/checkout":  (LOGIN, 302,   404,   404,   404,   404,   404),
    "GET /billing/return/<int:payment_id>":              (LOGIN, 200,   404,   404,   404,   404,   404),
    "GET /billing/cancel/<int:payment_id>":              (LOGIN, 200,   404,   404,   404,   404,   404),
    # Only Stripe's signature counts, whoever asks; without it the answer is 400.
    "POST /webhooks/stripe":                             (400,   400,   400,   400,   400,   400,   400),
    # Plans and memberships. "owner" owns the pending membership and the day-pass booking;
    # they see both, but a host of a covered space (or an admin) confirms the payment.
    "GET /plans":                                        (200,   200,   200,   200,   200,   200,   200),
    # A paid plan is bought through its summary page: 303 to it.
    "POST /plans/buy":                                   (LOGIN, 303,   303,   303,   303,   303,   303),
    "GET /memberships":                                  (LOGIN, 200,   200,   200,   200,   200,   200),
    "GET /api/v1/plans":                                 (200,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/me/memberships":                        (401,   200,   200,   200,   200,   200,   200),
    # The owner has a purchase still to be paid on site: a second one waits for it (409).
    "POST /api/v1/memberships":                          (401,   409,   201,   201,   201,   201,   201),
    # Buying: billing details are each member's own; the summary pages first ask for them
    # (302 to that step), for a plan and for a booking's day pass alike.
    "GET /account/billing":                              (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /account/billing":                             (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /api/v1/me/billing":                            (401,   200,   200,   200,   200,   200,   200),
    "PUT /api/v1/me/billing":                            (401,   200,   200,   200,   200,   200,   200),
    "GET /plans/<int:plan_id>/order":                    (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /plans/<int:plan_id>/order":                   (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /spaces/<slug>/day-pass":                       (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /spaces/<slug>/day-pass":                      (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /api/v1/memberships/<int:membership_id>/confirm-payment":
                                                         (401,   403,   404,   200,   404,   200,   404),
    "POST /api/v1/bookings/<int:booking_id>/confirm-payment":
                                                         (401,   403,   404,   200,   404,   200,   404),
    # Invoices: the owner's and admins'; an operator's month and journal, and refunds: admins.
    "GET /api/v1/me/invoices":                           (401,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/invoices/<int:invoice_id>":             (401,   200,   404,   404,   404,   200,   404),
    "GET /api/v1/invoices/<int:invoice_id>/pdf":         (401,   200,   404,   404,   404,   200,   404),
    "GET /api/v1/invoices/<int:invoice_id>/xrechnung":   (401,   200,   404,   404,   404,   200,   404),
    "GET /api/v1/operators/<slug>/invoices?month=2027-03":
                                                         (401,   403,   403,   403,   403,   200,   403),
    "GET /api/v1/operators/<slug>/journal?month=2027-03&format=datev":
                                                         (401,   403,   403,   403,   403,   200,   403),
    "POST /api/v1/memberships/<int:membership_id>/refund":
                                                         (401,   403,   403,   403,   403,   200,   403),
    "GET /admin/operators/<slug>/invoices":              (LOGIN, 403,   403,   403,   403,   200,   403),
    # Hosts collect on-site payments (host2 sees their own space's, none here).
    "GET /host/payments":                                (LOGIN, 403,   403,   200,   200,   200,   403),
    "POST /host/memberships/<int:membership_id>/confirm-payment":
                                                         (LOGIN, 403,   404,   302,   404,   302,   404),
    "POST /host/bookings/<int:booking_id>/confirm-payment":
                                                         (LOGIN, 403,   404,   302,   404,   302,   404),
    # The host's day: hosts of that space and admins. The clock stands at 07:00 the day before
    # the owner's booking, before opening: check-in is too early (409), a walk-in finds the
    # space closed (422), a no-show is not due (409); what matters is who gets that far.
    # Whoever runs only one space goes straight to its day; so does the admin of a world with one.
    "GET /host":                                         (LOGIN, 403,   403,   302,   302,   302,   403),
    "GET /host/<slug>":                                  (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /host/<slug>/bookings/<int:booking_id>/check-in":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    # Checking in and confirming what was paid on site in one tap (here too early: a message).
    "POST /host/<slug>/bookings/<int:booking_id>/check-in-paid":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /host/<slug>/bookings/<int:booking_id>/check-out":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /host/<slug>/bookings/<int:booking_id>/no-show":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /host/<slug>/bookings/<int:booking_id>/paid":  (LOGIN, 403,   403,   302,   403,   302,   403),
    # A no-show is confirmed on its own page first; any host of the space undoes (here
    # nothing to undo: a message, or 409 over the API).
    "GET /host/<slug>/bookings/<int:booking_id>/no-show":
                                                         (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /host/<slug>/bookings/<int:booking_id>/undo":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    # The door display: device links by the space's hosts; the display itself without a
    # device link shows nothing, whoever asks.
    "GET /door/<slug>":                                  (404,   404,   404,   404,   404,   404,   404),
    "GET /host/<slug>/door":                             (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /host/<slug>/door":                            (LOGIN, 403,   403,   422,   403,   422,   403),
    "POST /host/<slug>/door/<int:device_id>/revoke":     (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /api/v1/bookings/<int:booking_id>/undo":       (401,   403,   404,   409,   403,   409,   404),
    "POST /host/<slug>/walk-ins":                        (LOGIN, 403,   403,   422,   403,   422,   403),
    "POST /api/v1/bookings/<int:booking_id>/check-in":   (401,   409,   404,   409,   404,   409,   404),
    "POST /api/v1/bookings/<int:booking_id>/check-out":  (401,   409,   404,   409,   404,   409,   404),
    # Changing a booking: its member only (an empty body: 422); others see it or not.
    "PATCH /api/v1/bookings/<int:booking_id>":          (401,   422,   404,   403,   404,   403,   404),
    "GET /bookings/<int:booking_id>/change":             (LOGIN, 200,   404,   404,   404,   404,   404),
    "POST /bookings/<int:booking_id>/change":            (LOGIN, 422,   404,   404,   404,   404,   404),
    "GET /bookings/<int:booking_id>/again":              (LOGIN, 200,   404,   404,   404,   404,   404),
    "POST /bookings/<int:booking_id>/again":             (LOGIN, 422,   404,   404,   404,   404,   404),
    "POST /api/v1/bookings/<int:booking_id>/no-show":    (401,   403,   404,   409,   404,   409,   404),
    # Opening hours over time: anyone reads them; hosts of the space and admins change them
    # (an empty body names its missing fields).
    "GET /api/v1/spaces/<slug>/hours":                   (200,   200,   200,   200,   200,   200,   200),
    "PUT /api/v1/spaces/<slug>/hours":                   (401,   403,   403,   422,   403,   422,   403),
    "POST /api/v1/spaces/<slug>/closures":               (401,   403,   403,   422,   403,   422,   403),
    "GET /api/v1/spaces/<slug>/day":                     (401,   403,   403,   200,   403,   200,   403),
    "GET /api/v1/spaces/<slug>/checkin-code":            (401,   403,   403,   200,   403,   200,   403),
    "POST /api/v1/spaces/<slug>/walk-ins":               (401,   403,   403,   422,   403,   422,   403),
    # Self check-in at the door: a member checks in only themselves (with the owner's booking,
    # too early: a message, 302); everyone may take a desk (the space is closed: a message).
    "GET /checkin/<slug>":                               (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /checkin/<slug>":                              (LOGIN, 302,   404,   404,   404,   404,   404),
    "POST /checkin/<slug>/walk-up":                      (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /checkin/<slug>/check-out":                    (LOGIN, 302,   404,   404,   404,   404,   404),
    # The check-in poster (it shows the day's code) and the occupancy picture of a space.
    "GET /host/<slug>/poster":                           (LOGIN, 403,   403,   200,   403,   200,   403),
    "GET /host/<slug>/occupancy":                        (LOGIN, 403,   403,   200,   403,   200,   403),
    # Plans and prices are the admins'.
    "GET /admin/plans":                                  (LOGIN, 403,   403,   403,   403,   200,   403),
    "GET /admin/plans/new":                              (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/plans/new":                             (LOGIN, 403,   403,   403,   403,   302,   403),
    "GET /admin/plans/<int:plan_id>/edit":               (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/plans/<int:plan_id>/edit":              (LOGIN, 403,   403,   403,   403,   302,   403),
    "POST /admin/plans/<int:plan_id>/retire":            (LOGIN, 403,   403,   403,   403,   302,   403),
    # Running a space: its hosts and admins; a host of another space gets 403 for it (and
    # 404 for its desks, rooms and closures under their own space's address, tested apart).
    "GET /manage":                                       (LOGIN, 403,   403,   200,   200,   200,   403),
    "GET /manage/<slug>":                                (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/resources":                     (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /manage/<slug>/resources/<int:resource_id>":    (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/resources/<int:resource_id>":   (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /manage/<slug>/resources/<int:resource_id>/deactivate":
                                                         (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/resources/<int:resource_id>/deactivate":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /manage/<slug>/resources/<int:resource_id>/reactivate":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /manage/<slug>/hours":                          (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/hours":                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /manage/<slug>/closures":                       (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/closures":                      (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /manage/<slug>/closures/<int:closure_id>/remove":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /manage/<slug>/rules":                          (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/rules":                         (LOGIN, 403,   403,   302,   403,   302,   403),
    # What visitors read about a space (texts, contact, map): its hosts and admins write it.
    "GET /manage/<slug>/texts":                          (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/texts":                         (LOGIN, 403,   403,   302,   403,   302,   403),
    # Photos of a space: its hosts add (an empty form is refused) and remove them; anyone
    # sees them.
    "GET /manage/<slug>/photos":                         (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /manage/<slug>/photos":                        (LOGIN, 403,   403,   422,   403,   422,   403),
    "POST /manage/<slug>/photos/<int:photo_id>/remove":  (LOGIN, 403,   403,   303,   403,   303,   403),
    "GET /spaces/<slug>/photos/<int:photo_id>.jpg":      (200,   200,   200,   200,   200,   200,   200),
    # Hosts are appointed and removed by admins only.
    "POST /manage/<slug>/hosts":                         (LOGIN, 403,   403,   403,   403,   302,   403),
    "POST /manage/<slug>/hosts/<int:user_id>/remove":    (LOGIN, 403,   403,   403,   403,   302,   403),
    "POST /manage/<slug>/publish":                       (LOGIN, 403,   403,   403,   403,   302,   403),
    # Towns and spaces are the admins'.
    "GET /admin/spaces":                                 (LOGIN, 403,   403,   403,   403,   200,   403),
    "GET /admin/spaces/new":                             (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/spaces/new":                            (LOGIN, 403,   403,   403,   403,   302,   403),
    "GET /admin/towns/new":                              (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/towns/new":                             (LOGIN, 403,   403,   403,   403,   302,   403),
    # The operator's pages are public; admins write them. The manifest and icon are for all.
    "GET /impressum":                                    (200,   200,   200,   200,   200,   200,   200),
    # § 312k BGB: anyone cancels, signed in or not; the e-mailed link works for whoever holds
    # it (here the owner's); the API answers 202 whatever the address.
    "GET /vertraege/kuendigen":                          (200,   200,   200,   200,   200,   200,   200),
    "POST /vertraege/kuendigen":                         (200,   200,   200,   200,   200,   200,   200),
    "GET /vertraege/kuendigen/<token>":                  (200,   200,   200,   200,   200,   200,   200),
    "POST /vertraege/kuendigen/<token>":                 (200,   200,   200,   200,   200,   200,   200),
    "POST /api/v1/contracts/cancel":                     (202,   202,   202,   202,   202,   202,   202),
    "GET /datenschutz":                                  (200,   200,   200,   200,   200,   200,   200),
    "GET /admin/site":                                   (LOGIN, 403,   403,   403,   403,   200,   403),
    "GET /admin/site/<slug>/<language>":                 (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/site/<slug>/<language>":                (LOGIN, 403,   403,   403,   403,   302,   403),
    # Each operator's own pages (the world's space's operator here), and their editor.
    "GET /impressum/<operator>":                         (200,   200,   200,   200,   200,   200,   200),
    "GET /datenschutz/<operator>":                       (200,   200,   200,   200,   200,   200,   200),
    "GET /admin/site/<operator>/<slug>/<language>":      (LOGIN, 403,   403,   403,   403,   200,   403),
    # The accessibility statement: anyone reads it and reports a barrier through its form.
    "GET /barrierefreiheit":                             (200,   200,   200,   200,   200,   200,   200),
    "POST /barrierefreiheit":                            (303,   303,   303,   303,   303,   303,   303),
    "GET /barrierefreiheit/<operator>":                  (200,   200,   200,   200,   200,   200,   200),
    "POST /barrierefreiheit/<operator>":                 (303,   303,   303,   303,   303,   303,   303),
    "POST /admin/site/<operator>/<slug>/<language>":     (LOGIN, 403,   403,   403,   403,   302,   403),
    # Operators: who sells and invoices is the admins' to say; the list of them is public.
    "GET /admin/operators":                              (LOGIN, 403,   403,   403,   403,   200,   403),
    "GET /admin/operators/new":                          (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/operators/new":                         (LOGIN, 403,   403,   403,   403,   302,   403),
    "GET /admin/operators/<slug>":                       (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/operators/<slug>":                      (LOGIN, 403,   403,   403,   403,   302,   403),
    "POST /admin/spaces/<slug>/operator":                (LOGIN, 403,   403,   403,   403,   302,   403),
    "GET /api/v1/operators":                             (200,   200,   200,   200,   200,   200,   200),
    "GET /api/v1/operators/<slug>":                      (401,   403,   403,   403,   403,   200,   403),
    "PUT /api/v1/operators/<slug>":                      (401,   403,   403,   403,   403,   200,   403),
    "GET /manifest.webmanifest":                         (200,   200,   200,   200,   200,   200,   200),
    "GET /favicon.ico":                                  (200,   200,   200,   200,   200,   200,   200),
    # The waiting list: anyone signed in joins (the range asked is free: on to booking it);
    # an offer and an entry are their member's alone.
    "POST /waitlist":                                    (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /waitlist/offers/<int:entry_id>":               (LOGIN, 200,   404,   404,   404,   404,   404),
    "POST /waitlist/offers/<int:entry_id>/accept":       (LOGIN, 302,   404,   404,   404,   404,   404),
    "POST /waitlist/<int:entry_id>/leave":               (LOGIN, 302,   404,   404,   404,   404,   404),
    "POST /admin/spaces/<slug>/type":                    (LOGIN, 403,   403,   403,   403,   302,   403),
    # The outbox's parked messages name members and what was written to them: admins only.
    "GET /admin/outbox":                                 (LOGIN, 403,   403,   403,   403,   200,   403),
    "POST /admin/outbox/<int:message_id>/retry":         (LOGIN, 403,   403,   403,   403,   302,   403),
    # Research: aggregated figures and the data package, for researchers and admins only.
    "GET /research":                                     (LOGIN, 403,   403,   403,   403,   200,   200),
    "GET /research/export":                              (LOGIN, 403,   403,   403,   403,   200,   200),
    "GET /api/v1/research/stats":                        (401,   403,   403,   403,   403,   200,   200),
    "GET /api/v1/research/export":                       (401,   403,   403,   403,   403,   200,   200),
    # Events: public ones for anyone; a space's hosts (and admins) run them; a registration
    # is its registrant's alone; a guest's link works for whoever holds it.
    "GET /api/v1/events":                                (200,   200,   200,   200,   200,   200,   200),
    "POST /api/v1/spaces/<slug>/events":                 (401,   403,   403,   201,   403,   201,   403),
    "PATCH /api/v1/events/<int:event_id>":               (401,   403,   403,   200,   403,   200,   403),
    "DELETE /api/v1/events/<int:event_id>":              (401,   403,   403,   204,   403,   204,   403),
    "POST /api/v1/events/<int:event_id>/registrations":  (201,   201,   201,   201,   201,   201,   201),
    "DELETE /api/v1/events/<int:event_id>/registrations/<int:registration_id>":
                                                         (401,   204,   404,   404,   404,   404,   404),
    "GET /events":                                       (200,   200,   200,   200,   200,   200,   200),
    "GET /spaces/<slug>/events":                         (200,   200,   200,   200,   200,   200,   200),
    "GET /events/<int:event_id>":                        (200,   200,   200,   200,   200,   200,   200),
    "POST /events/<int:event_id>/register":              (302,   302,   302,   302,   302,   302,   302),
    "POST /events/<int:event_id>/registrations/<int:registration_id>/cancel":
                                                         (LOGIN, 302,   404,   404,   404,   404,   404),
    "POST /events/<int:event_id>/registrations/<int:registration_id>/accept":
                                                         (LOGIN, 302,   404,   404,   404,   404,   404),
    "GET /events/guest/<token>":                         (200,   200,   200,   200,   200,   200,   200),
    # The guest has not confirmed, so no place is offered to them: the link says so (410).
    "POST /events/guest/<token>/accept":                 (410,   410,   410,   410,   410,   410,   410),
    "POST /events/guest/<token>/cancel":                 (302,   302,   302,   302,   302,   302,   302),
    "GET /calendar/events/<slug>.ics":                   (200,   200,   200,   200,   200,   200,   200),
    "GET /host/<slug>/events":                           (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /host/<slug>/events":                          (LOGIN, 403,   403,   302,   403,   302,   403),
    "GET /host/<slug>/events/<int:event_id>":            (LOGIN, 403,   403,   200,   403,   200,   403),
    "POST /host/<slug>/events/<int:event_id>":           (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /host/<slug>/events/<int:event_id>/cancel":    (LOGIN, 403,   403,   302,   403,   302,   403),
    "POST /host/<slug>/events/registrations/<int:registration_id>/check-in":
                                                         (LOGIN, 403,   403,   302,   403,   302,   403),
    # Companies: anyone signed in opens one; only its admin (the owner here) sees or changes
    # anything of it, site admins included (404: nothing about it leaks). An invitation works
    # for whoever holds the link; its admin belongs to the company already (409).
    "GET /companies/new":                                (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /companies/new":                               (LOGIN, 302,   302,   302,   302,   302,   302),
    "GET /companies/<int:company_id>":                   (LOGIN, 200,   404,   404,   404,   404,   404),
    "POST /companies/<int:company_id>/invitations":      (LOGIN, 201,   404,   404,   404,   404,   404),
    "POST /companies/<int:company_id>/plan":             (LOGIN, 302,   404,   404,   404,   404,   404),
    "GET /companies/<int:company_id>/invoices/<int:invoice_id>/pdf":
                                                         (LOGIN, 200,   404,   404,   404,   404,   404),
    "GET /companies/join/<token>":                       (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /companies/join/<token>":                      (LOGIN, 409,   302,   302,   302,   302,   302),
    # Leaving: the owner belongs to no company in a fresh world (a message, then back).
    "GET /company":                                      (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /company/leave":                               (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /api/v1/companies":                            (401,   201,   201,   201,   201,   201,   201),
    "POST /api/v1/companies/<int:company_id>/invitations":
                                                         (401,   201,   404,   404,   404,   404,   404),
    "POST /api/v1/companies/join":                       (401,   409,   200,   200,   200,   200,   200),
    "GET /api/v1/companies/<int:company_id>/usage?month=2027-03":
                                                         (401,   200,   404,   404,   404,   404,   404),
    # The member directory: signed-in members only, each their own profile.
    "GET /directory":                                    (LOGIN, 200,   200,   200,   200,   200,   200),
    "GET /directory/profile":                            (LOGIN, 200,   200,   200,   200,   200,   200),
    "POST /directory/profile":                           (LOGIN, 302,   302,   302,   302,   302,   302),
    "POST /directory/profile/delete":                    (LOGIN, 302,   302,   302,   302,   302,   302),
}

PASSWORD = "correct horse"
BOOKED = ("2027-03-02T09:00:00+01:00", "2027-03-02T10:00:00+01:00")  # the owner's booking
FREE = ("2027-03-02T10:00:00+01:00", "2027-03-02T11:00:00+01:00")    # free on the second desk
DAY_PASS = ("2027-03-03T09:00:00+01:00", "2027-03-03T10:00:00+01:00")  # paid on site
WAITED = ("2027-03-04T09:00:00+01:00", "2027-03-04T10:00:00+01:00")    # the owner's offer


class World:
    """A space with the owner's booking, and the user of the role asking (for host2 the
    other space they host): `space`, `other_space`, `owner`, `booking`, `plan` (on sale, paid
    on site, covering the space), `membership` (the owner's, bought on `plan`, its payment
    due on site), `day_pass_booking` (the owner's, paid with a day pass due on site) and
    `actor`; with the actor's signed-in web session and API token once `sign_in` ran."""

    def __init__(self, serial, free_desk_id, **rows):
        self.serial = serial
        self.free_desk_id = free_desk_id
        self.cookies = ()  # the web session signed in as the actor: (key, value, domain, path)
        self.csrf = None   # the CSRF token of that session
        self.token = None  # the actor's API token
        self._keys = {name: None if row is None else (type(row), inspect(row).identity)
                      for name, row in rows.items()}
        self.__dict__.update(rows)

    def __getattr__(self, name):
        # A row not read since the database was put back: read it now, once.
        keys = self.__dict__.get("_keys", {})
        if name not in keys:
            raise AttributeError(name)
        row = None if keys[name] is None else db.session.get(*keys[name])
        setattr(self, name, row)
        return row

    def reloaded(self):
        """The same world after the database was put back: each row is read again when a
        case first asks for it (most ask for one or two)."""
        world = copy.copy(self)
        for name in (*self._keys, "event_id"):  # the event too, made by an earlier case
            world.__dict__.pop(name, None)
        world.serial += 1
        return world


def owners_token_id(world):
    secret = issue_api_token(world.owner)
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == hash_token(secret)))


def owners_link(purpose, email=None):
    """A link of `purpose` e-mailed to the owner (for an address change: to a new address)."""

    def issue(world):
        @use_case
        def make():
            address = email.format(serial=world.serial) if email else world.owner.email
            return AccountToken.issue(world.owner, purpose, address, clock.utcnow())[0]

        return make()

    return issue


def owners_cancellation(world):
    """The secret of a link that confirms a cancellation of the owner's contracts."""
    return cancellation_link(world.owner).rsplit("/", 1)[1]


def owners_payment_id(world):
    """The owner's plan bought to be paid on site."""
    from coworking.memberships.service import payment_for_membership

    return payment_for_membership(world.membership.id).id


def owners_paid_membership_id(world):
    """The owner's plan, paid on site (an admin confirmed it), so it has an invoice."""
    from coworking.memberships.service import confirm_payment_on_site

    cashier = create_user(f"cashier-{uuid.uuid4().hex[:8]}@example.org", "Cashier",
                          PASSWORD, "admin", None)
    confirm_payment_on_site(cashier, world.membership.id)
    return world.membership.id


def owners_invoice_id(world):
    """An invoice to the owner's address, so that it has an XRechnung too."""
    from coworking.invoicing.models import Invoice

    give_billing_details(db.session.get(User, world.membership.user_id))
    owners_paid_membership_id(world)
    return db.session.scalar(select(Invoice.id).where(
        Invoice.membership_id == world.membership.id))


WALK_IN = {"email": "walk-in@example.org", "name": "Walk In", "end": "2027-03-01T10:00:00+01:00"}


def todays_code(world):
    return daily_code(world.space, clock.utcnow().astimezone(world.space.zone).date())
def a_closure_id(world):
    """A closure of the world's space on a day without bookings."""
    closure = Closure(space_id=world.space.id, start_date=date(2027, 4, 5),
                      end_date=date(2027, 4, 5), reason="Access")
    db.session.add(closure)
    db.session.commit()
    return closure.id


def a_space_photo_id(world):
    """A photo of the world's space (one pixel)."""
    from coworking.spaces.photos import SpacePhoto

    photo = SpacePhoto(space_id=world.space.id, position=world.serial, alt="Ein Pixel",
                       image=b"\xff\xd8\xff\xd9", width=1, height=1)
    db.session.add(photo)
    db.session.commit()
    return photo.id


def a_door_device_id(world):
    """A door display's device link of the world's space."""
    from coworking.checkins.models import DoorDevice

    device = DoorDevice(space_id=world.space.id, name="Tablet", key_hash=f"{world.serial:064d}",
                        created_at=clock.utcnow())
    db.session.add(device)
    db.session.commit()
    return device.id


SERIES = {"kind": "hot_desk", "weekdays": "4", "start_time": "09:00", "end_time": "10:00",
          "first_day": "2027-03-05", "weeks": "1"}  # one Friday, free in every world


def owners_series_id(world):
    """A series of the owner's: that one Friday."""
    from coworking.bookings.series import book_series

    return book_series(world.owner, world.space, "hot_desk", [4], time(9), time(10),
                       date(2027, 3, 5), 1).series.id


def a_host_id(world):
    """Another host of the world's space, to be removed."""
    return create_user(f"access-host-{uuid.uuid4().hex[:8]}@example.org", "Access Host",
                       PASSWORD, "host", world.space.id).id


def owners_offer_id(world):
    """An open waiting-list offer to the owner: both desks were taken on a day, the owner
    joined the list, one was cancelled."""
    from coworking.bookings.service import cancel
    from coworking.waitlist.service import join

    start, end = (datetime.fromisoformat(t) for t in WAITED)
    takers = []
    for desk_id in (w_desk.id for w_desk in resources_of(world.space)):
        taker = create_user(f"access-taker-{uuid.uuid4().hex[:8]}@example.org", "Taker",
                            PASSWORD, "member", None)
        give_membership(taker, kind="monthly", all_spaces=True)
        takers.append((taker, book(taker, desk_id, start, end)))
    entry, _position, _new = join(world.owner, world.space, "hot_desk", start, end)
    first_taker, first_booking = takers[0]
    cancel(first_taker, first_booking.id)
    return entry.id


def a_parked_message_id(world):
    """An e-mail to the owner that the outbox gave up on after every attempt."""
    from coworking.notifications import mail
    from coworking.outbox import MAX_ATTEMPTS

    @use_case
    def park():
        message = mail.queue(world.owner.email, {"subject": "Access", "text": "", "html": ""})
        message.attempts, message.parked_at = MAX_ATTEMPTS, clock.utcnow()
        db.session.flush()
        return message.id

    return park()


EVENT = ("2027-03-05T10:00:00+01:00", "2027-03-05T12:00:00+01:00")  # public, no room


def an_event_id(world):
    """A public event of the world's space, the same one for every parameter of a request."""
    from coworking.space_events.service import create_event

    if getattr(world, "event_id", None) is None:
        organiser = create_user(f"organiser-{uuid.uuid4().hex[:8]}@example.org", "Organiser",
                                PASSWORD, "host", world.space.id)
        world.event_id = create_event(organiser, world.space.slug, "Stammtisch", "",
                                      *map(datetime.fromisoformat, EVENT), capacity=10,
                                      visibility="public").id
    return world.event_id


def owners_registration_id(world):
    from coworking.space_events.registrations import register_member

    return register_member(world.owner, an_event_id(world))[0].id


def a_guests_token(world):
    """The link of a guest's registration of the world's event (its secret, as e-mailed)."""
    import secrets

    from coworking.space_events.registrations import register_guest

    secret = secrets.token_urlsafe(32)
    registration = register_guest(an_event_id(world), "Guest", f"guest{world.serial}@example.org")
    registration.token_hash = hash_token(secret)
    db.session.commit()
    return secret
COMPANY_BILLING = {"name": "Access GmbH", "street": "Am Markt 1", "postcode": "23879",
                   "city": "Mölln", "country": "DE"}


def owners_company_id(world):
    """The company the owner opened and administers (opened once per world)."""
    from coworking.companies.service import current_membership, open_company

    membership = current_membership(world.owner)
    if membership is not None:
        return membership.company_id
    return open_company(world.owner, "Access GmbH", COMPANY_BILLING).id


def owners_company_invitation(world):
    """The secret of a link inviting someone to the owner's company."""
    from coworking.companies.service import invite

    return invite(world.owner, owners_company_id(world), "invited@example.org")[0]


def owners_company_invoice_id(world):
    """An invoice on account of the owner's company, from the operator of the space."""
    from coworking.companies.models import CompanyInvoice
    from coworking.invoicing.on_account import Charge, buyer, issue_on_account

    company_id = owners_company_id(world)

    @use_case
    def issue():
        invoice = issue_on_account(
            world.space.operator, buyer(**{**COMPANY_BILLING, "company": "Access GmbH",
                                           "vat_id": "", "buyer_reference": "",
                                           "email": world.owner.email,
                                           "customer_number": f"C-{company_id:06d}"}),
            [Charge("Arbeitsplatz-Tag", 1, 1500, 1900)], date(2027, 2, 1), date(2027, 2, 28),
            reference="access")
        db.session.add(CompanyInvoice(company_id=company_id,
                                      operator_id=world.space.operator_id,
                                      month=date(2027, 2, 1), invoice_id=invoice.id))
        return invoice.id

    return issue()
PUSH_KEYS = {"p256dh": "BKammq3nDs6d8CXZDBd9XoF-ePovJk6YguiyIPIqKlvoX_3u7Vl0ZawuFLhxqib3p5bk5StmZqjUOP9qdndlblY",
             "auth": "AAECAwQFBgcICQoLDA0ODw"}


def owners_push_subscription_id(world):
    from coworking.push.service import subscribe

    return subscribe(world.owner, f"https://push.example.org/access/{world.serial}",
                     **PUSH_KEYS).id


PATH_VALUES = {
    "photo_id": a_space_photo_id,
    "invoice_id": owners_invoice_id,
    "slug": lambda w: w.space.slug,
    "resource_id": lambda w: w.free_desk_id,
    "closure_id": a_closure_id,
    "user_id": a_host_id,
    "booking_id": lambda w: w.booking.id,
    "token_id": owners_token_id,
    "plan_id": lambda w: w.plan.id,
    "membership_id": lambda w: w.membership.id,
    "payment_id": owners_payment_id,
    "secret": lambda w: token_for(w.owner).secret,
    "series_id": owners_series_id,
    "entry_id": owners_offer_id,
    "operator": lambda w: w.space.operator.slug,
    "device_id": a_door_device_id,
    "message_id": a_parked_message_id,
    "event_id": an_event_id,
    "registration_id": owners_registration_id,
    "token": a_guests_token,
    "company_id": owners_company_id,
    "subscription_id": owners_push_subscription_id,
}

# Routes that need another value for a parameter than PATH_VALUES gives.
PATH_OVERRIDES = {
    "GET /verify-email/<token>": {"token": owners_link(LinkPurpose.VERIFY)},
    "GET /confirm-email/<token>":
        {"token": owners_link(LinkPurpose.EMAIL_CHANGE, "changed{serial}@example.org")},
    "GET /password/reset/<token>": {"token": owners_link(LinkPurpose.RESET)},
    "GET /vertraege/kuendigen/<token>": {"token": lambda w: owners_cancellation(w)},
    "POST /vertraege/kuendigen/<token>": {"token": lambda w: owners_cancellation(w)},
    "POST /password/reset/<token>": {"token": owners_link(LinkPurpose.RESET)},
    "POST /api/v1/bookings/<int:booking_id>/confirm-payment":
        {"booking_id": lambda w: w.day_pass_booking.id},
    "POST /host/bookings/<int:booking_id>/confirm-payment":
        {"booking_id": lambda w: w.day_pass_booking.id},
    "GET /admin/site/<slug>/<language>":
        {"slug": lambda w: "impressum", "language": lambda w: "de"},
    "POST /admin/site/<slug>/<language>":
        {"slug": lambda w: "datenschutz", "language": lambda w: "en"},
    "GET /admin/site/<operator>/<slug>/<language>":
        {"slug": lambda w: "impressum", "language": lambda w: "de"},
    "POST /admin/site/<operator>/<slug>/<language>":
        {"slug": lambda w: "impressum", "language": lambda w: "de"},
    # An operator's pages are found by its slug.
    "GET /admin/operators/<slug>": {"slug": lambda w: w.space.operator.slug},
    "POST /admin/operators/<slug>": {"slug": lambda w: w.space.operator.slug},
    "GET /api/v1/operators/<slug>": {"slug": lambda w: w.space.operator.slug},
    "PUT /api/v1/operators/<slug>": {"slug": lambda w: w.space.operator.slug},
    "GET /api/v1/operators/<slug>/invoices?month=2027-03":
        {"slug": lambda w: w.space.operator.slug},
    "GET /api/v1/operators/<slug>/journal?month=2027-03&format=datev":
        {"slug": lambda w: w.space.operator.slug},
    "POST /api/v1/memberships/<int:membership_id>/refund":
        {"membership_id": owners_paid_membership_id},
    "GET /admin/operators/<slug>/invoices": {"slug": lambda w: w.space.operator.slug},
    "GET /companies/<int:company_id>/invoices/<int:invoice_id>/pdf":
        {"invoice_id": owners_company_invoice_id},
    "GET /companies/join/<token>": {"token": owners_company_invitation},
    "POST /companies/join/<token>": {"token": owners_company_invitation},
}

PLAN_FORM = {"name": "Access pass", "kind": "day_pass", "price_cents": "15,00",
             "vat_basis_points": "19", "credits": "1", "validity_days": "1", "all_spaces": "y"}

HOURS_FORM = {day: "08:00–18:00" for day in ("monday", "tuesday", "wednesday", "thursday",
                                              "friday", "saturday", "sunday")}
RULES_FORM = {"horizon_days": "365", "min_notice_minutes": "0", "max_booking_minutes": "600",
              "cancel_deadline_minutes": "60", "no_show_grace_minutes": "30"}

RESEARCH_RANGE = {"from": "2027-03-01", "to": "2027-03-07"}

EVENT_FORM = {"title": "Access", "day": "2027-03-08", "start_time": "14:00",
              "end_time": "15:00", "capacity": "8", "visibility": "public", "resource_id": ""}

REQUESTS = {
    "POST /barrierefreiheit": lambda w: {"data": {"message": "Zu wenig Kontrast"}},
    "POST /barrierefreiheit/<operator>": lambda w: {"data": {"message": "Zu wenig Kontrast"}},
    "POST /api/v1/spaces/<slug>/events": lambda w: {"json": {
        "title": "Access", "start": "2027-03-08T14:00:00+01:00",
        "end": "2027-03-08T15:00:00+01:00", "capacity": 8, "visibility": "public"}},
    "PATCH /api/v1/events/<int:event_id>": lambda w: {"json": {"capacity": 20}},
    "POST /api/v1/events/<int:event_id>/registrations": lambda w: {"json": {
        "name": "Guest", "email": f"api-guest{w.serial}@example.org"}},
    "POST /events/<int:event_id>/register": lambda w: {"data": {
        "name": "Guest", "email": f"web-guest{w.serial}@example.org"}},
    "POST /host/<slug>/events": lambda w: {"data": EVENT_FORM},
    "POST /host/<slug>/events/<int:event_id>": lambda w: {"data": EVENT_FORM},
    "POST /api/v1/memberships/<int:membership_id>/refund": lambda w: {"json": {"reason": "Access"}},
    "GET /spaces/<slug>/book":
        lambda w: {"query_string": {"resource": w.free_desk_id, "start": FREE[0]}},
    "POST /spaces/<slug>/book":
        lambda w: {"data": {"resource_id": w.free_desk_id, "start": FREE[0], "end": FREE[1]}},
    "POST /spaces/<slug>/book-any":
        lambda w: {"data": {"kind": "hot_desk", "start": FREE[0], "end": FREE[1]}},
    "POST /spaces/<slug>/series": lambda w: {"data": SERIES},
    "POST /login": lambda w: {"data": {"email": w.owner.email, "password": PASSWORD}},
    "POST /register": lambda w: {"data": {"name": "New", "email": f"web-new{w.serial}@example.org",
                                          "password": PASSWORD}},
    "POST /language": lambda w: {"data": {"lang": "en", "next": "/"}},
    "POST /api/v1/auth/register": lambda w: {"json": {
        "name": "New", "email": f"api-new{w.serial}@example.org", "password": PASSWORD}},
    "POST /api/v1/auth/tokens": lambda w: {"json": {"email": w.owner.email, "password": PASSWORD}},
    "POST /api/v1/bookings":
        lambda w: {"json": {"resource_id": w.free_desk_id, "start": FREE[0], "end": FREE[1]}},
    "POST /plans/buy": lambda w: {"data": {"plan_id": w.plan.id}},
    "POST /account/name": lambda w: {"data": {"profile-name": "Renamed"}},
    "POST /account/language": lambda w: {"data": {"preferences-language": "en"}},
    "POST /account/email": lambda w: {"data": {
        "email-new_email": f"moved{w.serial}@example.org", "email-current_password": PASSWORD}},
    "POST /account/password": lambda w: {"data": {
        "password-current_password": PASSWORD, "password-new_password": "another password",
        "password-new_password_again": "another password"}},
    "POST /account/tokens": lambda w: {"data": {"token-name": "Script",
                                                "token-current_password": PASSWORD}},
    "POST /account/research": lambda w: {"data": {"research-consent": "y",
                                                  "research-residence": "town"}},
    "POST /account/delete": lambda w: {"data": {"password": PASSWORD}},
    "PUT /api/v1/me/research": lambda w: {"json": {"consent": True,
                                                   "profile": {"residence": "region"}}},
    "DELETE /api/v1/me": lambda w: {"json": {"password": PASSWORD}},
    "POST /api/v1/me/push-subscriptions": lambda w: {"json": {
        "endpoint": f"https://push.example.org/new/{w.serial}", "keys": PUSH_KEYS}},
    "POST /password/forgot": lambda w: {"data": {"email": w.owner.email}},
    "POST /password/reset/<token>": lambda w: {"data": {
        "password": "another password", "password_again": "another password"}},
    "POST /api/v1/auth/password-reset": lambda w: {"json": {"email": w.owner.email}},
    "POST /vertraege/kuendigen": lambda w: {"data": {
        "name": "Owner", "email": w.owner.email, "contract": "all", "kind": "ordinary"}},
    "POST /api/v1/contracts/cancel": lambda w: {"json": {"email": w.owner.email}},
    "POST /api/v1/auth/password-reset/confirm": lambda w: {"json": {
        "token": owners_link(LinkPurpose.RESET)(w), "password": "another password"}},
    "POST /api/v1/memberships": lambda w: {"json": {"plan_id": w.plan.id, "early_start": True},
                                           "billed": True},
    "POST /account/billing": lambda w: {"data": {f"billing-{name}": value
                                                 for name, value in CONSUMER_BILLING.items()}},
    "PUT /api/v1/me/billing": lambda w: {"json": CONSUMER_BILLING},
    "GET /spaces/<slug>/day-pass":
        lambda w: {"query_string": {"resource": w.free_desk_id, "start": FREE[0], "end": FREE[1]}},
    "POST /spaces/<slug>/day-pass":
        lambda w: {"data": {"resource_id": w.free_desk_id, "start": FREE[0], "end": FREE[1]}},
    "POST /admin/plans/new": lambda w: {"data": PLAN_FORM},
    "POST /admin/plans/<int:plan_id>/edit": lambda w: {"data": {
        **PLAN_FORM, "name": "Renamed", "all_spaces": "", "space_ids": w.space.id}},
    "POST /api/v1/bookings/<int:booking_id>/check-in": lambda w: {"json": {"code": todays_code(w)}},
    "POST /host/<slug>/walk-ins": lambda w: {"data": WALK_IN},
    "POST /api/v1/spaces/<slug>/walk-ins": lambda w: {"json": WALK_IN},
    "POST /checkin/<slug>": lambda w: {"data": {"code": todays_code(w), "booking_id": w.booking.id}},
    "POST /checkin/<slug>/walk-up": lambda w: {"data": {"code": todays_code(w),
                                                        "end": "2027-03-01T10:00:00+01:00"}},
    "POST /checkin/<slug>/check-out": lambda w: {"data": {"booking_id": w.booking.id}},
    "POST /manage/<slug>/resources":
        lambda w: {"data": {"kind": "hot_desk", "name": "Access desk", "capacity": "1"}},
    "POST /manage/<slug>/resources/<int:resource_id>":
        lambda w: {"data": {"name": "Access desk", "capacity": "1"}},
    # Closed on Sundays from now on: no booking of the world falls on one.
    "POST /manage/<slug>/hours": lambda w: {"data": {**HOURS_FORM, "sunday": ""}},
    "POST /manage/<slug>/closures": lambda w: {"data": {
        "start_date": "2027-03-10", "end_date": "2027-03-10", "closure_reason": "Access"}},
    "POST /manage/<slug>/rules": lambda w: {"data": RULES_FORM},
    "POST /manage/<slug>/texts": lambda w: {"data": {
        "description": "Access", "contact_email": "access@example.org", "latitude": "53.6",
        "longitude": "10.7"}},
    "POST /manage/<slug>/hosts": lambda w: {"data": {"email": w.owner.email}},
    "POST /admin/spaces/new": lambda w: {"data": {
        "name": "Access space", "slug": f"access-{w.serial}", "town_id": w.space.town_id,
        "address": "Access 1", "timezone": "Europe/Berlin", "slot_minutes": "30"}},
    "POST /admin/towns/new": lambda w: {"data": {"name": f"Access town {w.serial}",
                                                 "state": "BB"}},
    "POST /admin/site/<slug>/<language>": lambda w: {"data": {
        "title": "Privacy notice", "body": "## Controller\n\nThe town of Access."}},
    "POST /waitlist": lambda w: {"data": {"space": w.space.slug, "kind": "hot_desk",
                                          "start": FREE[0], "end": FREE[1]}},
    "POST /admin/spaces/<slug>/type": lambda w: {"data": {"space_type": "commuter_haven"}},
    "POST /admin/site/<operator>/<slug>/<language>": lambda w: {"data": {
        "title": "Impressum", "body": "## Angaben\n\nDie Stadt Access."}},
    "POST /admin/operators/new": lambda w: {"data": {
        "slug": f"access-{w.serial}", "legal_name": "Access e. V.", "country": "DE",
        "tax_mode": "standard", "account_1900": "8400"}},
    "POST /admin/operators/<slug>": lambda w: {"data": {
        "legal_name": "Access GmbH", "country": "DE", "tax_mode": "standard",
        "account_1900": "8400"}},
    "POST /admin/spaces/<slug>/operator": lambda w: {"data": {
        "operator_id": w.space.operator_id}},
    "PUT /api/v1/operators/<slug>": lambda w: {"json": {"phone": "+49 4542 803-0"}},
    "GET /research/export": lambda w: {"query_string": RESEARCH_RANGE},
    "GET /api/v1/research/stats": lambda w: {"query_string": RESEARCH_RANGE},
    "GET /api/v1/research/export": lambda w: {"query_string": RESEARCH_RANGE},
    "POST /companies/new": lambda w: {"data": {
        "billing-company_name": "Access GmbH",
        **{f"billing-{name}": value for name, value in COMPANY_BILLING.items()}}},
    "POST /companies/<int:company_id>/invitations":
        lambda w: {"data": {"invite-email": "invited@example.org"}},
    "POST /companies/<int:company_id>/plan": lambda w: {"data": {"plan-plan_id": ""}},
    "POST /api/v1/companies": lambda w: {"json": {"name": "Access GmbH",
                                                  "billing": COMPANY_BILLING}},
    "POST /api/v1/companies/<int:company_id>/invitations":
        lambda w: {"json": {"email": "invited@example.org"}},
    "POST /api/v1/companies/join": lambda w: {"json": {"token": owners_company_invitation(w)}},
    "POST /directory/profile": lambda w: {"data": {"what_i_do": "Access",
                                                   "town_id": str(w.space.town_id)}},
}


def routes(app):
    return {f"{method} {rule.rule}" for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_a_row(app):
    assert all(len(row) == len(ROLES) for row in ACCESS.values())
    rows = {key.split("?")[0] for key in ACCESS}
    assert routes(app) - rows == set(), "add a row to ACCESS for each of these routes"
    assert rows - routes(app) == set(), "these rows name no route any more"


@pytest.fixture
def world(make_space, make_user, frozen):
    serial = iter(range(1, 1000))

    def build(role):
        space = make_space(desks=2, rooms=0)
        other_space = make_space(desks=0, rooms=0) if role == "host2" else None
        plan = make_plan(kind="monthly", price_cents=9900, spaces=[space])
        make_plan(kind="day_pass", price_cents=1500, spaces=[space])
        owner = make_user(password=PASSWORD, covered=False)
        booked_desk, free_desk = resources_of(space)
        day_pass_booking = book(owner, booked_desk.id, *map(datetime.fromisoformat, DAY_PASS),
                                pay="day_pass")
        give_membership(owner, kind="monthly", all_spaces=True, meeting_room_hours=100)
        booking = book(owner, booked_desk.id, *map(datetime.fromisoformat, BOOKED))
        membership, _payment = buy(owner, plan.id, online=False)
        actor = {
            "anon": lambda: None,
            "owner": lambda: owner,
            "other": lambda: make_user(),
            "host": lambda: make_user(role="host", space=space),
            "host2": lambda: make_user(role="host", space=other_space),
            "admin": lambda: make_user(role="admin"),
            "research": lambda: make_user(role="researcher"),
        }[role]()
        return World(next(serial), free_desk.id, space=space, other_space=other_space,
                     owner=owner, booking=booking, plan=plan, membership=membership,
                     day_pass_booking=day_pass_booking, actor=actor)

    return build


def fill_path(key, world):
    values = {**PATH_VALUES, **PATH_OVERRIDES.get(key, {})}

    def value(match):
        name = match.group(1)
        assert name in values, f"tell PATH_VALUES how to fill <{name}> of {key}"
        return str(values[name](world))

    return re.sub(r"<(?:\w+:)?(\w+)>", value, key.split(" ", 1)[1])


def sign_in(app, world):
    """Sign the actor in through the real sign-in form (anon only gets a session with its
    CSRF token) and issue the actor's API token; the world keeps the cookies and both."""
    client = app.test_client()
    if world.actor is not None:
        signed_in = client.post("/login", data={
            "email": world.actor.email, "password": PASSWORD,
            "csrf_token": csrf_token(client, "/login")})
        assert signed_in.status_code == 302, f"{world.actor.email} could not sign in"
        world.token = issue_api_token(world.actor)
    world.csrf = csrf_token(client, "/")
    names = (app.config["SESSION_COOKIE_NAME"], app.config.get("REMEMBER_COOKIE_NAME",
                                                                "remember_token"))
    world.cookies = tuple((cookie.key, cookie.value, cookie.domain, cookie.path)
                          for cookie in map(client.get_cookie, names) if cookie is not None)


def web_client(app, world):
    """A client with the session the actor signed in with (whatever the last case did to
    its cookies)."""
    client = app.test_client()
    for key, value, domain, path in world.cookies:
        client.set_cookie(key, value, domain=domain, path=path)
    return client


def ask(app, key, world):
    """One request as the world's actor: a bearer token for the API, a signed-in session
    for web pages."""
    method = key.split(" ", 1)[0]
    path = fill_path(key, world)
    request = REQUESTS.get(key, lambda w: {})(world)
    if request.pop("billed", False) and world.actor is not None:
        give_billing_details(world.actor)  # what buying a paid plan needs first
    headers = {"Accept-Language": "en"}
    if path.startswith("/api/"):
        client = app.test_client()
        if world.actor is not None:
            headers["Authorization"] = f"Bearer {world.token}"
        if method != "GET":
            request.setdefault("json", {})
    else:
        client = web_client(app, world)
        if method != "GET":
            request["data"] = {**request.get("data", {}), "csrf_token": world.csrf}
    response = client.open(path, method=method, headers=headers, **request)
    if response.status_code == 302 and urlsplit(response.location).path == "/login":
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_route(app, world, role,
                                                             database_snapshot):
    column = ROLES.index(role)
    expected = {key: row[column] for key, row in ACCESS.items()}
    built = world(role)
    sign_in(app, built)
    database_snapshot.save()
    built = built.reloaded()
    answers = {}
    for key in ACCESS:
        if database_snapshot.changed:  # what the last case wrote must not reach this one
            database_snapshot.restore()
            built = built.reloaded()
        answers[key] = ask(app, key, built)
    wrong = {key: f"expected {expected[key]}, got {answers[key]}"
             for key in ACCESS if answers[key] != expected[key]}
    assert not wrong, f"as {role}:\n" + "\n".join(f"  {k}: {v}" for k, v in wrong.items())
