"""Plans and payments are confirmed by e-mail too: active, a renewal failing, ended."""
from coworking import clock
from coworking.database import use_case
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import Membership
from tests.factories import give_membership, make_plan


def test_a_plan_that_becomes_active_payment_failing_and_ended_is_told(make_user, frozen,
                                                                      smtp_server):
    member = make_user(covered=False, name="Grace")
    plan = make_plan(name="Monatstarif Mölln", kind="monthly", price_cents=9900)
    membership = give_membership(member, plan)

    @use_case
    def fail_then_end():
        held = db.session.get(Membership, membership.id)
        held.mark_past_due()
        held.end(clock.utcnow())

    fail_then_end()
    run_all()
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects == ["Jetzt aktiv: Monatstarif Mölln",
                        "Zahlung fehlgeschlagen: Monatstarif Mölln",
                        "Beendet: Monatstarif Mölln"]
    text = smtp_server.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "Hallo Grace," in text and "99,00\xa0€ inkl. MwSt." in text
