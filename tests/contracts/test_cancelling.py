"""§ 312k BGB: "Verträge hier kündigen" in every footer leads to a page usable signed out;
signed out an e-mailed link confirms the cancellation, signed in it takes effect at once; the
confirmation e-mail states when it arrived and when the plan ends, at its period's end."""
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from coworking.contracts.models import ContractCancellation
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.memberships.models import Membership
from coworking.memberships.service import buy, confirm_payment_on_site
from coworking.outbox import OutboxMessage
from tests.billing.paying import fresh
from tests.factories import csrf_token, give_membership, make_plan

PAGE = "/vertraege/kuendigen"


@pytest.fixture
def world(make_space, make_user, frozen):
    """Mia has a monthly plan paid on site since Monday 1 March 2027 and a 10-visit card."""
    space = make_space(slug="moelln", desks=2, rooms=0)
    monthly = make_plan("Monatstarif Mölln", kind="monthly", price_cents=9900, spaces=[space])
    card = make_plan("10er-Karte", spaces=[space])
    mia = make_user(email="mia@example.org", name="Mia Muster", covered=False)
    host = make_user(email="host@example.org", role="host", space=space)
    membership, _payment = buy(mia, monthly.id, online=False)
    confirm_payment_on_site(host, membership.id)
    pass_ = give_membership(mia, card)
    frozen.set("2027-03-10T14:03:00+01:00")
    return {"space": space, "monthly": monthly, "card": card, "mia": mia, "membership": membership,
            "pass": pass_, "host": host}


def mails(subject_part=""):
    db.session.commit()
    return [m.payload for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail").order_by(OutboxMessage.id))
        if subject_part in m.payload["subject"]]


def declare(client, **fields):
    data = {"name": "Mia Muster", "email": "mia@example.org", "contract": "all",
            "kind": "ordinary", "reason": "", **fields}
    return client.post(PAGE, data={**data, "csrf_token": csrf_token(client, PAGE)})


def link_in(mail):
    return re.search(r"https?://[^/\s]+(/vertraege/kuendigen/[\w-]+)", mail["text"]).group(1)


@pytest.mark.parametrize("path", ["/", "/plans", "/login", "/impressum", PAGE])
def test_every_page_links_the_cancellation_in_its_footer(client, world, path):
    html = client.get(path).get_data(as_text=True)
    footer = html.split('<footer class="bottom">')[1]
    assert f'<a href="{PAGE}" id="cancel-contracts">Verträge hier kündigen</a>' in footer


def test_the_page_asks_what_the_law_asks_without_signing_in(client, world):
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Verträge kündigen</h1>" in html
    for label in ('<label for="name">Dein Name</label>',
                  '<label for="email">E-Mail-Adresse deines Kontos</label>',
                  '<label for="contract">Welcher Vertrag</label>',
                  "Ordentliche Kündigung zum nächstmöglichen Zeitpunkt",
                  "Außerordentliche Kündigung aus wichtigem Grund",
                  'value="Jetzt kündigen"'):
        assert label in html
    assert "Monatstarif Mölln" in html and "10er-Karte (ein Pass: nichts zu kündigen)" in html
    assert "Mia" not in html  # a visitor learns nothing about anyone's contracts
    assert "keine Abos" in html


def test_signed_out_a_link_confirms_it_and_the_mails_say_when_it_arrived(client, world,
                                                                         frozen):
    response = declare(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Deine Kündigung ist am Mittwoch, 10. März 2027 um 14:03 Uhr eingegangen." in html
    assert 'id="link-sent"' in html
    assert fresh(world["membership"]).cancel_at_period_end is False  # not yet

    (asked,) = mails("Bitte bestätige deine Kündigung")
    assert "am Mittwoch, 10. März 2027 um 14:03 Uhr" in asked["text"]
    assert "Monatstarif Mölln: 01.04.2027" in asked["text"]
    link = link_in(asked)

    frozen.set("2027-03-11T09:00:00+01:00")
    page = client.get(link).get_data(as_text=True)
    assert "Kündigung bestätigen" in page and "Monatstarif Mölln" in page
    assert fresh(world["membership"]).cancel_at_period_end is False  # a GET changes nothing
    done = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert done.status_code == 200
    assert "Die Kündigung ist wirksam" in done.get_data(as_text=True)
    membership = fresh(world["membership"])
    assert membership.cancel_at_period_end is True
    assert membership.current_period_end == datetime.fromisoformat("2027-04-01T06:00:00+00:00")

    (confirmation,) = mails("Bestätigung deiner Kündigung")
    text = confirmation["text"]
    assert "Eingegangen: am Mittwoch, 10. März 2027 um 14:03 Uhr" in text
    assert "Monatstarif Mölln: 01.04.2027" in text
    assert "Ordentliche Kündigung" in text
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 200
    assert len(mails("Bestätigung deiner Kündigung")) == 1  # confirming twice changes nothing

    frozen.set("2027-04-01T08:00:00+02:00")
    run_all()
    assert fresh(world["membership"]).status == "cancelled"


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_kept_or_sent(client, world):
    known = declare(client).get_data(as_text=True)
    unknown = declare(client, email="nobody@example.org").get_data(as_text=True)
    strip = lambda html: re.sub(r"[\w.+-]+@example\.org|<input[^>]*>", "", html)  # noqa: E731
    assert strip(known) == strip(unknown)
    db.session.commit()
    assert [c.email for c in db.session.scalars(select(ContractCancellation))] == [
        "mia@example.org"]
    assert len(mails("Bitte bestätige")) == 1


def test_signed_in_it_takes_effect_at_once(client, login, world):
    login("mia@example.org")
    form = client.get(PAGE).get_data(as_text=True)
    assert 'value="Mia Muster"' in form and 'value="mia@example.org"' in form
    assert f'value="m{world["membership"].id}"' in form
    response = declare(client, contract=f"m{world['membership'].id}")
    html = response.get_data(as_text=True)
    assert "Endet am 01.04.2027." in html and "Bestätigung mit diesen Angaben" in html
    assert fresh(world["membership"]).cancel_at_period_end is True
    (confirmation,) = mails("Bestätigung deiner Kündigung")
    assert "Monatstarif Mölln: 01.04.2027" in confirmation["text"]
    assert mails("Bitte bestätige") == []


def test_a_pass_is_no_subscription_and_the_page_says_so(client, login, world):
    login("mia@example.org")
    html = declare(client, contract=f"m{world['pass'].id}").get_data(as_text=True)
    assert "Dein Tarif „10er-Karte“ ist ein Pass und kein Abo" in html
    assert fresh(world["membership"]).cancel_at_period_end is False
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    html = declare(client, contract=f"p{world['card'].id}").get_data(as_text=True)
    assert "Dein Tarif „10er-Karte“ ist ein Pass und kein Abo" in html


def test_an_extraordinary_cancellation_needs_its_reason_which_the_mail_repeats(client, login,
                                                                              world):
    login("mia@example.org")
    response = declare(client, kind="extraordinary")
    assert response.status_code == 422
    assert "Eine außerordentliche Kündigung braucht ihren wichtigen Grund." in \
        response.get_data(as_text=True)
    assert fresh(world["membership"]).cancel_at_period_end is False
    declare(client, kind="extraordinary", reason="Ich ziehe weg.")
    (confirmation,) = mails("Bestätigung")
    assert "Außerordentliche Kündigung" in confirmation["text"]
    assert "Grund: Ich ziehe weg." in confirmation["text"]


@pytest.mark.parametrize("fields, field", [
    ({"email": "kein@adresse"}, "email"), ({"name": ""}, "name"),
    ({"contract": "m999999"}, "contract"), ({"kind": "sometimes"}, "kind"),
    ({"reason": "x" * 1001}, "reason")])
def test_bad_input_is_named_and_cancels_nothing(client, world, fields, field):
    response = declare(client, **fields)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert mails("Kündigung") == [] and fresh(world["membership"]).cancel_at_period_end is False


def test_a_link_runs_out_after_seven_days(client, world, frozen):
    declare(client)
    link = link_in(mails("Bitte bestätige")[0])
    frozen.set("2027-03-17T14:04:00+01:00")
    response = client.get(link)
    assert response.status_code == 410
    assert "Dieser Link funktioniert nicht mehr" in response.get_data(as_text=True)
    assert client.get(f"{PAGE}/no-such-link").status_code == 410
    assert client.post(link, data={"csrf_token": csrf_token(client, PAGE)}).status_code == 410
    assert fresh(world["membership"]).cancel_at_period_end is False


def test_nothing_running_is_said_plainly(client, make_user, login, world):
    make_user(email="leer@example.org", covered=False)
    login("leer@example.org")
    html = declare(client, email="leer@example.org").get_data(as_text=True)
    assert 'id="nothing"' in html
    (confirmation,) = mails("Bestätigung")
    assert "nichts zu kündigen" in confirmation["text"]


def test_a_cancelled_plan_ends_and_others_stay(client, login, world, make_user):
    other = make_user(email="other@example.org", covered=False)
    theirs, _ = buy(other, world["monthly"].id, online=False)
    login("mia@example.org")
    declare(client)
    assert fresh(world["membership"]).cancel_at_period_end is True
    assert db.session.get(Membership, theirs.id).cancel_at_period_end is False


def test_a_plan_cancelled_already_is_confirmed_with_its_date(client, login, world):
    login("mia@example.org")
    declare(client)
    form = client.get(PAGE).get_data(as_text=True)
    assert "Monatstarif Mölln (schon gekündigt, endet am 01.04.2027)" in form
    html = declare(client, contract=f"m{world['membership'].id}").get_data(as_text=True)
    assert "Endet am 01.04.2027." in html
    assert len(mails("Bestätigung deiner Kündigung")) == 2
