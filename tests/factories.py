"""Builders and helpers the tests share, imported by the tests and by conftest alike."""
import itertools
import os
import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from config import TestConfig
from coworking.extensions import db
from coworking.spaces.models import Resource

PG_URL = os.environ.get("TEST_DATABASE_URL")
ENGINE = "postgresql" if PG_URL else "sqlite"


def make_config(database_url, **overrides):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


class Clock:
    """Moves the frozen clock: `set("2027-03-02T10:30:00+01:00")` returns the UTC instant."""

    def __init__(self, traveller):
        self._traveller = traveller

    def set(self, iso):
        instant = datetime.fromisoformat(iso).astimezone(UTC)
        self._traveller.move_to(instant)
        return instant


def resources_of(space, kind="hot_desk"):
    return db.session.scalars(select(Resource).where(Resource.space_id == space.id,
                                                     Resource.kind == kind)
                              .order_by(Resource.id)).all()


def csrf_token(client, path):
    """The CSRF token of the form on `path`, as a browser would submit it."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


# Invoice prefixes are unique: a number no other operator of this test run has.
_PREFIX_NUMBERS = itertools.count(1)


def make_operator(slug=None, complete=True, **values):
    """An operator, by default with complete invoice data (standard VAT), so it sells online."""
    from coworking.operators.models import Operator

    slug = slug or f"operator-{uuid.uuid4().hex[:6]}"
    filled = {"legal_name": f"Betreiber {slug} GmbH", "street": "Marktplatz 1",
              "postcode": "23879", "city": "Mölln", "country": "DE",
              "representative": "Maria Muster", "tax_number": "30/123/45678",
              "vat_id": "DE123456789", "invoice_prefix": slug.upper().replace("-", "")[:4]
              + f"{next(_PREFIX_NUMBERS):06d}", "email": f"rechnung@{slug}.example.org",
              "phone": "+49 4542 1234", "iban": "DE02120300000000202051",
              "bic": "BYLADEM1001", "bank_name": "Testbank"} if complete else {}
    operator = Operator(slug=slug, **(filled | values))
    db.session.add(operator)
    db.session.commit()
    return operator


def programme_office():
    """The operator that runs the portal and sells plans for several spaces."""
    from coworking.operators.service import PROGRAMME_OFFICE_SLUG, portal_operator

    return portal_operator() or make_operator(PROGRAMME_OFFICE_SLUG, runs_portal=True)


def make_plan(name=None, kind="multi_pass", price_cents=12000, spaces=(), all_spaces=False,
              seller=None, **values):
    """A plan on sale: by default a 10-visit card for the given spaces, sold by the operator
    of its one space, else by the programme office (made complete if there is none yet)."""
    from coworking.memberships.models import Plan, PlanKind

    kind = PlanKind(kind)
    defaults = {"credits": 10, "validity_days": 180} if kind == PlanKind.MULTI_PASS else (
        {"credits": 1, "validity_days": 1} if kind == PlanKind.DAY_PASS else {})
    defaults.update(values)
    spaces = list(spaces)
    if seller is None:
        seller = (spaces[0].operator if len(spaces) == 1 and not all_spaces
                  else programme_office())
    plan = Plan(name=name or f"{kind.value} {price_cents}", kind=kind, price_cents=price_cents,
                currency="eur", vat_basis_points=1900, all_spaces=all_spaces,
                spaces=spaces, seller=seller, **defaults)
    db.session.add(plan)
    db.session.commit()
    return plan


def give_membership(user, plan=None, **plan_values):
    """An active membership of `user` on `plan` (a new plan made from `plan_values` if none),
    as if bought and paid; passes get their credits."""
    from coworking import clock
    from coworking.database import use_case
    from coworking.memberships.models import Membership, MembershipStatus
    from coworking.memberships.service import activate

    plan = plan or make_plan(**plan_values)

    @use_case
    def grant():
        membership = Membership(user_id=user.id, plan=plan, plan_id=plan.id,
                                status=MembershipStatus.PENDING)
        db.session.add(membership)
        db.session.flush()
        activate(membership, clock.utcnow())
        return membership

    return grant()


CONSUMER_BILLING = {"name": "Mia Member", "street": "Hauptstraße 5", "postcode": "23879",
                    "city": "Mölln", "country": "DE"}


def give_billing_details(user, **values):
    """Billing details for `user`: a consumer in Mölln unless `values` say otherwise (a
    `company` or `vat_id` makes them a business)."""
    from coworking.accounts.billing_service import save

    return save(user, {**CONSUMER_BILLING, **values})


def order_through_summary(client, response, early_start=True):
    """Follow "Mit Tagespass bezahlen" (a 303 to the day pass's summary) and press the
    summary's "Zahlungspflichtig bestellen", asking for the early start a booking within the
    withdrawal period needs. The member needs billing details (give_billing_details)."""
    import html as markup

    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    page = client.get(response.location).get_data(as_text=True)
    fields = {name: markup.unescape(value) for name, value in
              re.findall(r'name="([a-z_]+)" type="hidden" value="([^"]*)"', page)}
    action = re.search(r'action="(/spaces/[^"]+/day-pass)"', page)
    assert action, page[:2000]
    return client.post(action.group(1), data={**fields, **({"early_start": "y"}
                                                           if early_start else {})})
def cancellation_link(user):
    """The path of an e-mailed link that confirms a cancellation of `user`'s contracts, as
    declared signed out (its secret is only in the e-mail, so the test sets its own)."""
    import secrets

    from coworking.accounts.models import hash_token
    from coworking.contracts.service import declare

    declared = declare(user.email, user.name, client_address="test")
    secret = secrets.token_urlsafe(16)
    declared.cancellation.token_hash = hash_token(secret)
    db.session.commit()
    return f"/vertraege/kuendigen/{secret}"


def race_in_processes(target, argument_tuples):
    """One process per tuple of arguments, all released at once by a barrier: each runs
    `target(*arguments, barrier, results)` and puts its answer on `results`. Returns the
    answers in the order they arrived. The processes come from a fork server that has loaded
    the application once (tests/race_preload.py), so they share nothing with the test's own
    process: no connection, no thread, no app."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["tests.race_preload"])
    barrier, results = ctx.Barrier(len(argument_tuples)), ctx.Queue()
    processes = [ctx.Process(target=target, args=(*arguments, barrier, results))
                 for arguments in argument_tuples]
    for process in processes:
        process.start()
    answers = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    return answers


def read_topics(monkeypatch, *topics):
    """Give these outbox topics a handler that does nothing: their events are then stored as
    they will be once something reads them (without one the outbox writes no row)."""
    from coworking import outbox

    for topic in topics:
        monkeypatch.setitem(outbox._handlers, topic, [lambda payload: None])


def has_inline_script(html):
    """Whether `html` runs script written into the page itself (which the CSP would block),
    as opposed to files served by the app (`<script src=…>`, such as the offline helper)."""
    return re.search(r"<script(?![^>]*\ssrc=)", html) is not None
