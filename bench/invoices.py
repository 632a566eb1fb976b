"""Invoices: issuing one (number, snapshot, stored row, the Factur-X PDF with its embedded
XML) against rendering the same PDF alone.

Run from the repository root:  .venv/bin/python bench/invoices.py [--engine sqlite|postgresql]
[--postgres URL]  (PostgreSQL: a temporary database on that server, see bench/common.py;
skipped with a note if unreachable.)

Per engine, on a fresh database migrated with flask_migrate.upgrade(): an operator with
complete invoice data sells a 10-visit card; 60 members each owe one payment for it, to be
paid on site. Then 25 rounds, interleaved:
- "issue": one unit of work marks a payment paid, which issues its invoice (the next number
  from the operator's counter row, the snapshot of seller and buyer, the stored row), and
  the PDF of the stored invoice is rendered from its snapshot, as a download does it;
- "render": the PDF of the same kind of document rendered alone (no database);
- "store": the unit of work alone (number, snapshot, row; no PDF).
Printed: median and p95 of each, the ratio issue / render (goal: at most 1.2, i.e.
numbering and storing add at most 20 %), and store / render, the same overhead measured
apart from the PDF (the machine is shared: the PDF's own spread of tens of milliseconds
swamps a few milliseconds of storing in the direct ratio). Measurements, not tests: nothing
is asserted.
"""
from datetime import UTC, datetime

from common import bulk_users, interleaved, median, migrated_app, ms_summary, selected_engines  # noqa: E402
from sqlalchemy import select  # noqa: E402

from coworking.database import use_case  # noqa: E402
from coworking.extensions import db  # noqa: E402
from coworking.invoicing.formats import render_pdf  # noqa: E402
from coworking.invoicing.models import Invoice  # noqa: E402
from coworking.memberships.models import (  # noqa: E402
    Payment,
    PaymentMethod,
    PaymentStatus,
    Plan,
    PlanKind,
)
from coworking.operators.models import Operator  # noqa: E402

ROUNDS = 25
MEMBERS = 80


def setup():
    operator = Operator(
        slug="bench-seller", legal_name="Stadt Benchhausen", street="Am Markt 1",
        postcode="10115", city="Berlin", country="DE", representative="Bea Bürgermeisterin",
        tax_number="30/123/45678", vat_id="DE123456789", tax_mode="standard",
        invoice_prefix="BENCH", iban="DE02120300000000202051", bic="BYLADEM1001",
        bank_name="Testbank", email="rechnung@bench.example.org", phone="+49 30 1234")
    plan = Plan(name="10er-Karte Benchhausen", kind=PlanKind.MULTI_PASS, price_cents=12000,
                currency="eur", vat_basis_points=1900, credits=10, validity_days=180,
                seller=operator)
    db.session.add_all([operator, plan])
    db.session.commit()
    now = datetime.now(UTC)
    db.session.add_all([
        Payment(user_id=user_id, plan_id=plan.id, method=PaymentMethod.ON_SITE,
                status=PaymentStatus.DUE, amount_cents=plan.price_cents, currency="eur",
                vat_basis_points=1900, created_at=now)
        for user_id in bulk_users(MEMBERS, "invoice", cover=False)])
    db.session.commit()
    return db.session.scalars(select(Payment.id).order_by(Payment.id)).all()


@use_case
def settle(payment_id):
    """What a host's confirmation does to the payment: the invoice is issued in this unit."""
    payment = db.session.get(Payment, payment_id)
    payment.mark_paid(datetime.now(UTC))
    return payment.id


def timing(engine_name, payment_ids):
    due = iter(payment_ids)

    def issue():
        payment_id = settle(next(due))
        invoice = db.session.scalar(select(Invoice).where(Invoice.payment_id == payment_id))
        render_pdf(invoice.document())
        return 1

    issue()  # warm-up: fonts, the schema, the first counter row
    document = db.session.scalar(select(Invoice).order_by(Invoice.id)).document()

    def render():
        render_pdf(document)
        return 1

    def store():
        settle(next(due))
        return 1

    render()
    times = interleaved({"issue": issue, "render": render, "store": store}, ROUNDS)
    print(f"\n== {engine_name}: issuing an invoice against rendering its PDF alone, "
          f"{ROUNDS} rounds, interleaved")
    print(f"    {'issue (number, snapshot, row, PDF)':40} {ms_summary(times['issue'])}")
    print(f"    {'render the PDF alone':40} {ms_summary(times['render'])}")
    print(f"    {'store alone (number, snapshot, row)':40} {ms_summary(times['store'])}")
    ratio = median(times["issue"]) / median(times["render"])
    print(f"    ratio issue / render: {ratio:.3f} (goal ≤ 1.2)")
    print(f"    store / render: {median(times['store']) / median(times['render']) * 100:.1f} % "
          f"(what numbering and storing add to the PDF; goal ≤ 20 %)")
    numbers = db.session.scalars(select(Invoice.sequence).order_by(Invoice.sequence)).all()
    print(f"    {len(numbers)} invoices, numbers 1..{numbers[-1]} without gaps: "
          f"{numbers == list(range(1, len(numbers) + 1))}")


def main():
    engines = selected_engines(description=__doc__.strip().splitlines()[0])
    print(__doc__.strip().splitlines()[0])
    for engine_name, factory in engines:
        with factory() as url:
            if url is None:
                continue
            with migrated_app(url):
                timing(engine_name, setup())


if __name__ == "__main__":
    main()
