"""The five pilot spaces with desks and rooms, the plans on offer, and demo members where
they cannot be abused; safe to run again."""
import secrets
from datetime import time

import click
from flask import current_app
from sqlalchemy import select

from coworking import clock
from coworking.accounts.models import User, UserRole, normalize_email
from coworking.accounts.service import PASSWORD_MIN
from coworking.database import use_case
from coworking.demo_history import write_history
from coworking.extensions import db
from coworking.memberships.models import Plan, PlanKind
from coworking.operators.models import Operator
from coworking.operators.samples import SAMPLES, is_blank
from coworking.operators.service import PROGRAMME_OFFICE_SLUG, default_seller, portal_operator
from coworking.pilots import PILOTS, SPACE_TEXTS
from coworking.spaces.models import OpeningHours, Resource, ResourceKind, Space, Town

DESKS = 8
# Per member and space: upcoming meeting-room and phone-booth bookings, and days ahead with a
# desk. Enough for anyone who works there; too few to hold a room or desks for a whole month.
MAX_ROOM_BOOKINGS = 3
MAX_DESK_DAYS = 10

# Gross prices in cents, 19 % VAT. Found again by name, so an admin's edits stay. A plan for
# one space is sold by that space's operator, anything wider by the programme office.
PLANS = [
    {"name": "Schnuppertag", "kind": PlanKind.DAY_PASS, "price_cents": 0, "credits": 1,
     "validity_days": 30, "once_per_member": True, "all_spaces": True,
     "description": "Ein Tag zum Ausprobieren, kostenlos, einmal pro Person."},
    {"name": "Monatstarif Wittenberge", "kind": PlanKind.MONTHLY, "price_cents": 9900,
     "days_per_month": 12, "spaces": ["wittenberge"],
     "description": "Zwölf Arbeitstage im Monat in Wittenberge."},
    {"name": "Netzwerk-Tarif", "kind": PlanKind.MONTHLY, "price_cents": 14900,
     "meeting_room_hours": 4, "all_spaces": True,
     "description": "Unbegrenzt arbeiten an allen fünf Standorten, dazu 4 Stunden "
                    "Besprechungsraum im Monat."},
    {"name": "Fester Arbeitsplatz Wittenberge", "kind": PlanKind.FIXED_DESK,
     "price_cents": 24900, "spaces": ["wittenberge"],
     "description": "Dein eigener Schreibtisch in Wittenberge, jeden Öffnungstag."},
] + [plan for pilot in PILOTS for plan in (
    {"name": f"Tagespass {pilot['town']}", "kind": PlanKind.DAY_PASS, "price_cents": 1500,
     "credits": 1, "validity_days": 1, "spaces": [pilot["slug"]],
     "description": f"Ein Arbeitstag an einem freien Platz in {pilot['town']}."},
    {"name": f"10er-Karte {pilot['town']}", "kind": PlanKind.MULTI_PASS, "price_cents": 12000,
     "credits": 10, "validity_days": 180, "spaces": [pilot["slug"]],
     "description": f"Zehn Arbeitstage in {pilot['town']}, ein halbes Jahr lang einzulösen."},
)]
# The passes for all five spaces an earlier seed offered: sold by the programme office for
# the towns' desks. Each town now sells its own, so these are retired from sale once (the
# passes bought on them run on).
REPLACED_PLANS = ("Tagespass", "10er-Karte")
# The fixed desk the fixed-desk plan hands out.
FIXED_DESK = {"space": "wittenberge", "name": "Fester Platz 1"}
DEMO_MEMBERS = [("anna@example.org", "Anna Berger"), ("ben@example.org", "Ben Schulz"),
                ("cem@example.org", "Cem Yıldız")]
# Printed in the README: anyone could sign in as a demo member where it is in use.
PUBLISHED_DEMO_PASSWORD = "coworking-demo"


def _get_or_add(model, lookup, **values):
    obj = db.session.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        db.session.add(obj)
        db.session.flush()
    return obj


@use_case
def seed_demo(demo_password=None, sample_data=False):
    """Create what is missing and leave what exists (including edits an admin made) alone.
    Demo members only with a password; `sample_data` fills operators nobody has filled in
    with invented invoice data. Returns counts of what is new."""
    created = members = 0
    if portal_operator() is None:
        _get_or_add(Operator, {"slug": PROGRAMME_OFFICE_SLUG}, runs_portal=True)
    for pilot in PILOTS:
        town = _get_or_add(Town, {"name": pilot["town"]}, state=pilot["state"],
                           state_name=pilot["state_name"], population=pilot["population"],
                           town_type=pilot["town_type"], location_type=pilot["location_type"])
        space = db.session.scalar(select(Space).where(Space.slug == pilot["slug"]))
        if space is not None:
            continue
        created += 1
        operator = _get_or_add(Operator, {"slug": pilot["slug"]}, city=pilot["town"])
        space = Space(slug=pilot["slug"], name=pilot["name"], town=town, address=pilot["address"],
                      operator=operator,
                      space_type=pilot["space_type"],
                      timezone="Europe/Berlin", slot_minutes=30, horizon_days=365,
                      min_notice_minutes=0, max_booking_minutes=600,
                      cancel_deadline_minutes=120, no_show_grace_minutes=30,
                      max_room_bookings=MAX_ROOM_BOOKINGS, max_desk_days=MAX_DESK_DAYS)
        space.opening_hours = [OpeningHours(weekday=day, opens=time(8), closes=time(18))
                               for day in range(5)]
        if pilot["saturday"]:
            space.opening_hours.append(OpeningHours(weekday=5, opens=time(9), closes=time(14)))
        db.session.add(space)
        db.session.flush()
        for number in range(1, DESKS + 1):
            db.session.add(Resource(space_id=space.id, kind=ResourceKind.HOT_DESK,
                                    name=f"Platz {number}", capacity=1,
                                    amenities="Monitor, Steckdose"))
        db.session.add(Resource(space_id=space.id, kind=ResourceKind.MEETING_ROOM,
                                name="Besprechungsraum", capacity=6,
                                amenities="Bildschirm, Whiteboard"))
        db.session.add(Resource(space_id=space.id, kind=ResourceKind.PHONE_BOOTH,
                                name="Telefonkabine", capacity=1))
    _seed_fixed_desk()
    _seed_texts()
    samples = _seed_sample_operators() if sample_data else 0
    plans, retired = _seed_plans()
    for email, name in DEMO_MEMBERS if demo_password else ():
        if db.session.scalar(select(User.id).where(User.email == normalize_email(email))):
            continue
        members += 1
        # Demo members can buy plans at once: their example.org addresses read no mail.
        user = User(email=email, name=name, email_verified_at=clock.utcnow())
        user.set_password(demo_password)
        user.roles = [UserRole(role="member")]
        db.session.add(user)
    return {"spaces": created, "members": members, "plans": plans, "retired": retired,
            "samples": samples,
            "incomplete": [o.slug for o in db.session.scalars(select(Operator).order_by(
                Operator.slug)) if not o.is_complete]}


def _seed_fixed_desk():
    space = db.session.scalar(select(Space).where(Space.slug == FIXED_DESK["space"]))
    if space is not None and db.session.scalar(
            select(Resource.id).where(Resource.space_id == space.id,
                                      Resource.kind == ResourceKind.FIXED_DESK).limit(1)) is None:
        db.session.add(Resource(space_id=space.id, kind=ResourceKind.FIXED_DESK,
                                name=FIXED_DESK["name"], capacity=1,
                                amenities="Monitor, Steckdose, Rollcontainer"))


def _seed_plans():
    """The plans of the design, each created once (by name); the all-space passes an earlier
    seed made retire when the towns' own come. Returns how many are new and retired."""
    created = 0
    spaces = {space.slug: space for space in db.session.scalars(select(Space))}
    existing = set(db.session.scalars(select(Plan.name)))
    for values in PLANS:
        values = dict(values)
        covered = [spaces[slug] for slug in values.pop("spaces", ()) if slug in spaces]
        if values["name"] in existing or ("all_spaces" not in values and not covered):
            continue
        db.session.add(Plan(currency="eur", vat_basis_points=1900, spaces=covered,
                            seller=default_seller(covered, values.get("all_spaces", False)),
                            **values))
        created += 1
    retired = 0
    if created:
        for plan in db.session.scalars(select(Plan).where(
                Plan.name.in_(REPLACED_PLANS), Plan.all_spaces.is_(True),
                Plan.retired_at.is_(None))):
            plan.retired_at = clock.utcnow()
            retired += 1
    return created, retired


def _seed_sample_operators():
    """Development only: invented invoice data for each operator nobody has filled in, marked
    as sample data; an invoice prefix another operator has is left out."""
    filled = 0
    taken = set(db.session.scalars(select(Operator.invoice_prefix).where(
        Operator.invoice_prefix.is_not(None))))
    for operator in db.session.scalars(select(Operator).where(Operator.slug.in_(SAMPLES))):
        if not is_blank(operator):
            continue
        values = dict(SAMPLES[operator.slug])
        if values["invoice_prefix"] in taken:
            values.pop("invoice_prefix")
        for name, value in values.items():
            setattr(operator, name, value)
        operator.country, operator.sample_data = "DE", True
        operator.updated_at = clock.utcnow()
        filled += 1
    return filled


def _demo_password(with_demo_members, given):
    """The demo members' password, or None for no demo members.

    In development the published one will do. Elsewhere demo members are made only when
    asked for, and never with a password everyone can read in the README: a given one must
    differ from it, and without one a random password is made (and printed once).
    """
    if current_app.config["ENV_NAME"] == "development":
        return given or PUBLISHED_DEMO_PASSWORD
    if not with_demo_members:
        return None
    if given is None:
        return secrets.token_urlsafe(12)
    if given == PUBLISHED_DEMO_PASSWORD:
        raise click.UsageError(f"the demo password {PUBLISHED_DEMO_PASSWORD!r} is published; "
                               f"outside development choose another with --demo-password or "
                               f"DEMO_PASSWORD, or leave both unset for a random one")
    if len(given) < PASSWORD_MIN:
        raise click.UsageError(f"--demo-password/DEMO_PASSWORD needs at least {PASSWORD_MIN} "
                               f"characters")
    return given


@click.command("seed-demo")
@click.option("--with-demo-members", is_flag=True,
              help="Also create the demo members outside development.")
@click.option("--demo-password", envvar="DEMO_PASSWORD",
              help=f"Password of the demo members (development: {PUBLISHED_DEMO_PASSWORD!r}; "
                   f"elsewhere a random one unless given).")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no spaces yet.")
@click.option("--history", "history_days", type=click.IntRange(0, 3 * 366), default=None,
              metavar="DAYS", help="Also write DAYS of plausible past use up to yesterday.")
def seed_demo_command(with_demo_members, demo_password, if_empty, history_days):
    """Create the five pilot spaces and their desks (idempotent); demo members in
    development, elsewhere only with --with-demo-members."""
    password = _demo_password(with_demo_members, demo_password)
    if if_empty and db.session.scalar(select(Space.id).limit(1)) is not None:
        click.echo("spaces exist already; not seeding")
        return
    development = current_app.config["ENV_NAME"] == "development"
    seeded = seed_demo(password, sample_data=development)
    click.echo(f"seeded {seeded['spaces']} new space(s); "
               f"{len(PILOTS) - seeded['spaces']} already there")
    click.echo(f"seeded {seeded['plans']} new plan(s); "
               f"{len(PLANS) - seeded['plans']} already there")
    if seeded["retired"]:
        click.echo(f"retired {seeded['retired']} plan(s) for all spaces (Tagespass, 10er-Karte) "
                   f"from sale: each town sells its own now; passes bought run on")
    if seeded["samples"]:
        click.echo(f"filled {seeded['samples']} operator(s) with invented sample invoice data "
                   f"(development only, shown as Beispieldaten)")
    if seeded["incomplete"]:
        click.echo(f"{len(seeded['incomplete'])} operator(s) sell nothing online until an admin "
                   f"completes their invoice data under /admin/operators: "
                   f"{', '.join(seeded['incomplete'])}")
    if password is None:
        click.echo("no demo members outside development (add --with-demo-members for them)")
    elif seeded["members"]:
        shown = password if password != demo_password else "as given"
        click.echo(f"created {seeded['members']} demo member(s); their password: {shown}")
    if history_days:
        counts = write_history(history_days)
        click.echo(f"history of {history_days} day(s): {counts['bookings']} new booking(s), "
                   f"{counts['visits']} visit(s), {counts['members']} new history member(s), "
                   f"{counts['profiles']} research profile(s)")


TEXT_COLUMNS = ("description", "amenities", "access", "contact_name", "contact_email",
                "contact_phone", "latitude", "longitude")


def _seed_texts():
    """Fill the texts of a pilot space nobody has written any for (all still null); a space
    whose hosts saved theirs, even empty ones, keeps them."""
    filled = 0
    for space in db.session.scalars(select(Space).where(Space.slug.in_(SPACE_TEXTS))):
        if all(getattr(space, column) is None for column in TEXT_COLUMNS):
            for column, value in SPACE_TEXTS[space.slug].items():
                setattr(space, column, value)
            filled += 1
    return filled
