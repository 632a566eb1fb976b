"""The member's data as a page a person can read: the same download as the JSON (nothing more,
nothing less), with words instead of table and column names, local times instead of UTC, and
names instead of ids. Technical columns (ids, Stripe references) stay in the JSON only."""
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_datetime, gettext as _, lazy_gettext as _l
from sqlalchemy import select

from coworking.bookings.models import BookingStatus
from coworking.extensions import db
from coworking.formatting import medium_date, money
from coworking.memberships.models import MembershipStatus, Plan
from coworking.spaces.models import Resource, Space
from coworking.waitlist.models import EntryStatus

# What each kind of value is, to show it as people read it.
TEXT, WHEN, DAY, CENTS, YES_NO, PLACE, SPACE, PLAN, WORDS = (
    "text", "when", "day", "cents", "yes_no", "place", "space", "plan", "words")

# Codes the member never saw, in the words the pages use for them.
WORDS_FOR = {
    "due": _l("due"), "paid": _l("paid"), "expired": _l("expired"), "failed": _l("failed"),
    "refunded": _l("refunded"), "stripe": _l("online"), "on_site": _l("on site"),
    "free": _l("free"), "de": _l("German"), "en": _l("English"),
}

ACCOUNT = [("name", _l("Name"), TEXT), ("email", _l("E-mail address"), TEXT),
           ("language", _l("Language"), WORDS), ("created_at", _l("Member since"), WHEN),
           ("email_verified_at", _l("E-mail address confirmed"), WHEN),
           ("reminders", _l("Reminders by e-mail"), YES_NO)]

# (table, heading, columns): the member's own records, in the order a person looks for them.
SECTIONS = [
    ("booking", _l("Bookings"), [
        ("start_at", _l("From"), WHEN), ("end_at", _l("Until"), WHEN),
        ("resource_id", _l("Place"), PLACE), ("status", _l("Status"), BookingStatus),
        ("created_at", _l("Booked on"), WHEN), ("cancelled_at", _l("Cancelled on"), WHEN),
        ("checked_in_at", _l("Checked in"), WHEN), ("checked_out_at", _l("Checked out"), WHEN)]),
    ("visit", _l("Visits"), [
        ("space_id", _l("Space"), SPACE), ("checked_in_at", _l("Came"), WHEN),
        ("checked_out_at", _l("Left"), WHEN)]),
    ("membership", _l("Memberships and passes"), [
        ("plan_id", _l("Plan"), PLAN), ("status", _l("Status"), MembershipStatus), ("created_at", _l("Bought on"), WHEN),
        ("current_period_start", _l("Runs from"), WHEN),
        ("current_period_end", _l("Runs until"), WHEN), ("ended_at", _l("Ended on"), WHEN)]),
    ("payment", _l("Payments"), [
        ("created_at", _l("Date"), WHEN), ("plan_id", _l("For"), PLAN),
        ("amount_cents", _l("Amount"), CENTS),
        ("method", _l("Paid how"), WORDS), ("status", _l("Status"), WORDS),
        ("paid_at", _l("Paid on"), WHEN)]),
    ("billing_details", _l("Billing details"), [
        ("name", _l("Name"), TEXT), ("company", _l("Company"), TEXT),
        ("street", _l("Street"), TEXT), ("postcode", _l("Postcode"), TEXT),
        ("city", _l("City"), TEXT), ("country", _l("Country"), TEXT),
        ("vat_id", _l("VAT ID"), TEXT)]),
    ("waitlist_entry", _l("Waiting lists"), [
        ("space_id", _l("Space"), SPACE), ("start_at", _l("From"), WHEN),
        ("end_at", _l("Until"), WHEN), ("status", _l("Status"), EntryStatus)]),
    ("api_token", _l("Access keys for apps"), [
        ("name", _l("Name"), TEXT), ("created_at", _l("Created"), WHEN),
        ("last_used_at", _l("Last used"), WHEN), ("revoked_at", _l("Revoked"), WHEN)]),
    ("research_profile", _l("Research"), [
        ("consent", _l("Consent given"), YES_NO), ("consented_at", _l("Consented on"), WHEN),
        ("withdrawn_at", _l("Withdrawn on"), WHEN), ("work_mode", _l("How you work"), TEXT),
        ("commute_km_band", _l("Way to work"), TEXT), ("employment", _l("Employment"), TEXT),
        ("residence", _l("Where you live"), TEXT)]),
]

# Everything else the download holds, named in words.
OTHER_RECORDS = {
    "account_token": _l("Links sent by e-mail (confirmations, resets)"),
    "booking_series": _l("Booking series"), "calendar_token": _l("Calendar addresses"),
    "user_role": _l("Roles"), "contract_cancellation": _l("Cancellations of contracts"),
    "idempotency_key": _l("Repeated requests recognised"), "plan_order": _l("Orders of plans"),
    "booking_change": _l("Changes to bookings by the space"),
    "booking_reminder": _l("Reminders sent"), "booking_series_item": _l("Dates of series"),
    "cancelled_contract": _l("Contracts ended"), "cover_use": _l("Days counted against plans"),
    "credit_entry": _l("Credit history"), "host_action": _l("Actions of hosts on bookings"),
    "invoice": _l("Invoices"),
}


@dataclass
class Section:
    heading: str
    columns: list    # labels
    rows: list       # [[shown value per column]]


def _instant(value):
    if not value:
        return None
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _shown(kind, value, names):
    if value is None or value == "":
        return "–"
    if kind == WHEN:
        return format_datetime(_instant(value), "short")
    if kind == DAY:
        return medium_date(date.fromisoformat(value))
    if kind == CENTS:
        return money(value)
    if kind == YES_NO:
        return _("yes") if value else _("no")
    if kind in (PLACE, SPACE, PLAN):
        return names[kind].get(value, "–")
    if kind == WORDS:
        return str(WORDS_FOR.get(value, value))
    if isinstance(kind, type) and value in kind.__members__.values():
        return str(kind(value).label)  # a status, as the member's pages name it
    return str(value)


def _names(tables):
    """{PLACE: {resource id: "Desk 1, Space"}, SPACE: {space id: name}, PLAN: {plan id:
    name}} in three queries."""
    resource_ids = {row.get("resource_id") for rows in tables.values() for row in rows} - {None}
    space_ids = {row.get("space_id") for rows in tables.values() for row in rows} - {None}
    places = {rid: f"{name}, {space}" for rid, name, space in db.session.execute(
        select(Resource.id, Resource.name, Space.name).join(Space, Space.id == Resource.space_id)
        .where(Resource.id.in_(resource_ids)))} if resource_ids else {}
    spaces = dict(db.session.execute(select(Space.id, Space.name).where(
        Space.id.in_(space_ids))).all()) if space_ids else {}
    plan_ids = {row.get("plan_id") for rows in tables.values() for row in rows} - {None}
    plans = dict(db.session.execute(select(Plan.id, Plan.name).where(
        Plan.id.in_(plan_ids))).all()) if plan_ids else {}
    return {PLACE: places, SPACE: spaces, PLAN: plans}


def readable(data):
    """(account rows, sections, other records, e-mails, invoices) of `personal_data`'s
    document, in the reader's language and the programme's time zone."""
    tables = data["tables"]
    names = _names(tables)
    account = [(label, _shown(kind, data["account"].get(column), names))
               for column, label, kind in ACCOUNT]
    sections = []
    for table, heading, columns in SECTIONS:
        rows = tables.get(table)
        if rows:
            sections.append(Section(str(heading), [str(label) for _c, label, _k in columns],
                                    [[_shown(kind, row.get(column), names)
                                      for column, _label, kind in columns] for row in rows]))
    shown = {table for table, _heading, _columns in SECTIONS}
    other = [(str(OTHER_RECORDS.get(table, _l("Further records"))), len(rows))
             for table, rows in tables.items() if table not in shown]
    emails = [(mail["subject"], _shown(WHEN, mail["written_at"], names),
               _shown(WHEN, mail["sent_at"], names)) for mail in data["emails"]]
    invoices = [(invoice["number"], _shown(DAY, invoice["issued_on"], names),
                 money(invoice["gross_cents"], invoice["currency"]))
                for invoice in data["invoices"]]
    return account, sections, other, emails, invoices
