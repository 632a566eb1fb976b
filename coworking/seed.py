"""The five pilot spaces with desks and rooms, the plans on offer, and demo members where
they cannot be abused; safe to run again."""
import secrets
from datetime import time

import click
from flask import current_app
from sqlalchemy import select

from coworking import clock
from coworking.accounts.models import User, UserRole
from coworking.accounts.models import normalize_email
from coworking.accounts.service import PASSWORD_MIN
from coworking.database import use_case
from coworking.demo_history import write_history
from coworking.extensions import db
from coworking.memberships.models import Plan, PlanKind
from coworking.operators.models import Operator
from coworking.operators.service import PROGRAMME_OFFICE_SLUG, default_seller
from coworking.spaces.models import OpeningHours, Resource, ResourceKind, Space, Town

PILOTS = [
    {"slug": "wittenberge", "name": "Coworking Wittenberge", "town": "Wittenberge",
     "state": "BB", "state_name": "Brandenburg", "population": 16_900,
     "town_type": "Kleinstadt", "location_type": "peripher",
     "address": "Bahnstraße 37, 19322 Wittenberge", "saturday": False,
     "space_type": "commuter_haven"},
    {"slug": "diessen-am-ammersee", "name": "Coworking Dießen am Ammersee",
     "town": "Dießen am Ammersee", "state": "BY", "state_name": "Bayern", "population": 10_800,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Marktplatz 1, 86911 Dießen am Ammersee", "saturday": True,
     "space_type": "classic"},
    {"slug": "dippoldiswalde", "name": "Coworking Dippoldiswalde", "town": "Dippoldiswalde",
     "state": "SN", "state_name": "Sachsen", "population": 14_500,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Markt 2, 01744 Dippoldiswalde", "saturday": False,
     "space_type": "commuter_haven"},
    {"slug": "moelln", "name": "Coworking Mölln", "town": "Mölln",
     "state": "SH", "state_name": "Schleswig-Holstein", "population": 19_600,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Hauptstraße 130, 23879 Mölln", "saturday": True,
     "space_type": "village_centre"},
    {"slug": "oestrich-winkel", "name": "Coworking Oestrich-Winkel", "town": "Oestrich-Winkel",
     "state": "HE", "state_name": "Hessen", "population": 11_900,
     "town_type": "Kleinstadt", "location_type": "zentral",
     "address": "Rheinallee 2, 65375 Oestrich-Winkel", "saturday": False,
     "space_type": "classic"},
]

DESKS = 8
# Per member and space: upcoming meeting-room and phone-booth bookings, and days ahead with a
# desk. Enough for anyone who works there; too few to hold a room or desks for a whole month.
MAX_ROOM_BOOKINGS = 3
MAX_DESK_DAYS = 10

# Gross prices in cents, 19 % VAT. Found again by name, so an admin's edits stay.
PLANS = [
    {"name": "Schnuppertag", "kind": PlanKind.DAY_PASS, "price_cents": 0, "credits": 1,
     "validity_days": 30, "once_per_member": True, "all_spaces": True,
     "description": "Ein Tag zum Ausprobieren, kostenlos, einmal pro Person."},
    {"name": "Tagespass", "kind": PlanKind.DAY_PASS, "price_cents": 1500, "credits": 1,
     "validity_days": 1, "all_spaces": True,
     "description": "Ein Arbeitstag an einem freien Platz, an jedem der fünf Standorte."},
    {"name": "10er-Karte", "kind": PlanKind.MULTI_PASS, "price_cents": 12000, "credits": 10,
     "validity_days": 180, "all_spaces": True,
     "description": "Zehn Arbeitstage, ein halbes Jahr lang einzulösen, an allen Standorten."},
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
]
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
def seed_demo(demo_password=None):
    """Create what is missing and leave what exists (including edits an admin made) alone.
    Demo members only with a password; returns the new spaces and the new demo members."""
    created = members = 0
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
    plans = _seed_plans()
    for email, name in DEMO_MEMBERS if demo_password else ():
        if db.session.scalar(select(User.id).where(User.email == normalize_email(email))):
            continue
        members += 1
        # Demo members can buy plans at once: their example.org addresses read no mail.
        user = User(email=email, name=name, email_verified_at=clock.utcnow())
        user.set_password(demo_password)
        user.roles = [UserRole(role="member")]
        db.session.add(user)
    return created, members, plans


def _seed_fixed_desk():
    space = db.session.scalar(select(Space).where(Space.slug == FIXED_DESK["space"]))
    if space is not None and db.session.scalar(
            select(Resource.id).where(Resource.space_id == space.id,
                                      Resource.kind == ResourceKind.FIXED_DESK).limit(1)) is None:
        db.session.add(Resource(space_id=space.id, kind=ResourceKind.FIXED_DESK,
                                name=FIXED_DESK["name"], capacity=1,
                                amenities="Monitor, Steckdose, Rollcontainer"))


def _seed_plans():
    """The plans of the design, each created once (by name); returns how many were new."""
    created = 0
    spaces = {space.slug: space for space in db.session.scalars(select(Space))}
    existing = set(db.session.scalars(select(Plan.name)))
    for values in PLANS:
        if values["name"] in existing:
            continue
        values = dict(values)
        covered = [spaces[slug] for slug in values.pop("spaces", ()) if slug in spaces]
        db.session.add(Plan(currency="eur", vat_basis_points=1900, spaces=covered,
                            seller=default_seller(covered, values.get("all_spaces", False)),
                            **values))
        created += 1
    return created


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
    created, members, plans = seed_demo(password)
    click.echo(f"seeded {created} new space(s); {len(PILOTS) - created} already there")
    click.echo(f"seeded {plans} new plan(s); {len(PLANS) - plans} already there")
    if password is None:
        click.echo("no demo members outside development (add --with-demo-members for them)")
    elif members:
        shown = password if password != demo_password else "as given"
        click.echo(f"created {members} demo member(s); their password: {shown}")
    if history_days:
        counts = write_history(history_days)
        click.echo(f"history of {history_days} day(s): {counts['bookings']} new booking(s), "
                   f"{counts['visits']} visit(s), {counts['members']} new history member(s), "
                   f"{counts['profiles']} research profile(s)")


# What the five pilot spaces tell visitors: written once into a space whose hosts have not
# written any texts yet.
SPACE_TEXTS = {
    "wittenberge": {
        "description": "Hell und ruhig im alten Bahnhofsviertel, fünf Minuten vom ICE-Halt: "
                       "für alle, die nicht mehr jeden Tag nach Berlin oder Hamburg pendeln.",
        "amenities": "WLAN (250 Mbit/s)\nMonitore an jedem Platz\nKaffee und Tee\nDrucker\n"
                     "Küche\nFahrradstellplätze",
        "access": "Eingang im Hof, rechts neben der Bäckerei. Zu den Öffnungszeiten ist die Tür "
                  "offen; sonst klingel bei „Coworking“.\n"
                  "Parken: kostenlos auf dem Bahnhofsvorplatz.\n"
                  "Stufenloser Zugang über die Rampe im Hof.",
        "contact_name": "Katrin Wendt",
        "contact_email": "wittenberge@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 3877 40 21 30",
        "latitude": 52.99925, "longitude": 11.75605,
    },
    "diessen-am-ammersee": {
        "description": "Mitten im Ort, ein paar Schritte vom See: Arbeiten, wo andere Urlaub "
                       "machen, mit Blick auf den Marktplatz.",
        "amenities": "WLAN\nHöhenverstellbare Tische\nKaffee aus der Rösterei nebenan\n"
                     "Besprechungsraum mit Bildschirm\nTelefonkabine",
        "access": "Eingang über die Seitentür in der Herrenstraße, 1. Stock. Vor 9 Uhr "
                  "liegt der Schlüssel in der Schlüsselbox neben der Tür; den Code sagt dir "
                  "Florian.\nParken: "
                  "Parkplatz am Bahnhof (5 Minuten zu Fuß).\nKein Aufzug.",
        "contact_name": "Florian Huber",
        "contact_email": "diessen@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 8807 92 14 60",
        "latitude": 47.95262, "longitude": 11.10128,
    },
    "dippoldiswalde": {
        "description": "Im Erdgeschoss am Markt, zwischen Rathaus und Kirche: ein offener "
                       "Arbeitsraum für Dresden-Pendler, Selbstständige und Gründerinnen.",
        "amenities": "WLAN\nMonitore\nKaffee und Tee\nDrucker und Scanner\nSpielecke für "
                     "Kinder",
        "access": "Eingang direkt am Markt, Glastür mit dem StadtLabor-Schild. Klingel "
                  "„Coworking“; nach dem Check-in öffnet dir das Team.\nParken: Parkplatz an "
                  "der Weißeritz.\nStufenlos, barrierefreies WC.",
        "contact_name": "Susanne Richter",
        "contact_email": "dippoldiswalde@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 3504 61 28 40",
        "latitude": 50.89385, "longitude": 13.66842,
    },
    "moelln": {
        "description": "In der Altstadt von Mölln, nahe dem Eulenspiegel-Brunnen: Platz für "
                       "alle, die sonst nach Hamburg oder Lübeck fahren würden.",
        "amenities": "WLAN\nMonitore\nKaffee, Tee und Wasser\nBesprechungsraum\nTelefonkabine\n"
                     "Schließfächer",
        "access": "Eingang Hauptstraße, Tür links neben dem Buchladen, 2. Stock (Aufzug "
                  "vorhanden).\n"
                  "Die Tür ist zu den Öffnungszeiten offen.\nParken: Parkhaus am Wasserkrüger Weg.",
        "contact_name": "Jonas Petersen",
        "contact_email": "moelln@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 4542 83 55 10",
        "latitude": 53.62751, "longitude": 10.68936,
    },
    "oestrich-winkel": {
        "description": "Zwischen Weinbergen und Rhein, in einem umgebauten Weingut: ruhige "
                       "Plätze für Pendlerinnen und Pendler ins Rhein-Main-Gebiet.",
        "amenities": "WLAN\nMonitore\nKaffee und Tee\nTerrasse zum Rhein\nE-Bike-Ladestation",
        "access": "Eingang durch das Hoftor an der Rheinallee, dann links. Das Tor ist zu den "
                  "Öffnungszeiten offen.\nParken: im Hof, vier Stellplätze.\nStufenloser "
                  "Zugang zum Erdgeschoss.",
        "contact_name": "Miriam Schäfer",
        "contact_email": "oestrich-winkel@stadtlabor-kleinstadt.example.org",
        "contact_phone": "+49 6723 99 47 20",
        "latitude": 50.00424, "longitude": 8.01873,
    },
}
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
