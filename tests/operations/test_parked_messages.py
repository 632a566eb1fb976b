"""A message the outbox cannot deliver is never dropped in silence: after its last attempt it is
parked, counted by /readyz and /metrics, listed on the admins' status page, and an admin's
retry puts it back in the queue with fresh attempts."""
import re
from datetime import timedelta

from sqlalchemy import select

from coworking import clock, outbox
from coworking.audit import AuditEntry
from coworking.database import use_case
from coworking.extensions import db
from coworking.jobs import run_all
from coworking.notifications import mail
from coworking.outbox import MAX_ATTEMPTS, OutboxMessage
from tests.factories import csrf_token

PASS_GAP = timedelta(hours=7)  # longer than the longest back-off: every pass tries again


@use_case
def write_mail(to="ada@example.org"):
    message = mail.queue(to, {"subject": "Deine Buchung", "text": "Hallo", "html": ""})
    db.session.flush()
    return message.id


def passes(frozen, count):
    for _ in range(count):
        outbox.deliver()
        frozen.set((clock.utcnow() + PASS_GAP).isoformat())


def the_message(message_id):
    db.session.rollback()
    return db.session.get(OutboxMessage, message_id)


def readiness(client):
    response = client.get("/readyz")
    return response.get_json()["checks"]["parked_messages"]


def parked_metric(client):
    text = client.get("/metrics").get_data(as_text=True)
    return float(re.search(r"^coworking_outbox_parked (\S+)$", text, re.M).group(1))


def test_a_message_that_fails_every_attempt_is_parked_counted_and_sent_after_a_retry(
        client, make_user, login, smtp_server, frozen):
    smtp_server.refuse = True
    message_id = write_mail()
    passes(frozen, MAX_ATTEMPTS - 1)
    assert not the_message(message_id).is_parked  # one attempt left
    assert readiness(client) == {"ok": True, "count": 0}

    passes(frozen, 1)
    message = the_message(message_id)
    assert message.is_parked and message.attempts == MAX_ATTEMPTS
    assert "451" in message.last_error
    check = readiness(client)
    assert check["ok"] is False and check["count"] == 1
    assert "/admin/outbox" in check["reason"]
    assert parked_metric(client) == 1
    # Parked, it is no longer tried: the server is back, but nothing goes until a retry.
    smtp_server.refuse = False
    passes(frozen, 2)
    assert smtp_server.messages == [] and the_message(message_id).is_parked

    admin = make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="de"' in html and "Postausgang" in html
    assert f'data-message="{message_id}"' in html
    assert "ada@example.org" in html and "Deine Buchung" in html and "451" in html
    response = client.post(f"/admin/outbox/{message_id}/retry",
                           data={"csrf_token": csrf_token(client, "/admin/outbox")})
    assert response.status_code == 302
    message = the_message(message_id)
    assert not message.is_parked and message.attempts == 0
    assert readiness(client) == {"ok": True, "count": 0}
    assert parked_metric(client) == 0
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.retried"))
    assert [(e.actor_id, e.target_id) for e in entry] == [(admin.id, message_id)]
    assert "Keine Nachricht" in client.get("/admin/outbox").get_data(as_text=True)

    assert outbox.deliver()["delivered"] >= 1
    assert [m["To"] for m in smtp_server.messages if m["To"] != admin.email] == ["ada@example.org"]
    assert the_message(message_id).processed_at is not None


def test_a_message_whose_last_attempt_never_ended_is_parked(frozen, client):
    message_id = write_mail()
    db.session.get(OutboxMessage, message_id).attempts = MAX_ATTEMPTS - 1
    db.session.commit()
    assert len(outbox._claim(10)) == 1  # the last attempt; its worker dies
    frozen.set((clock.utcnow() + outbox.LEASE).isoformat())
    run_all()
    assert the_message(message_id).is_parked
    assert readiness(client)["count"] == 1


def test_a_retry_needs_the_form_and_counts_once(client, make_user, login, frozen):
    message_id = write_mail()
    message = db.session.get(OutboxMessage, message_id)
    message.attempts, message.parked_at = MAX_ATTEMPTS, clock.utcnow()
    db.session.commit()
    make_user(email="admin@example.org", role="admin")
    login("admin@example.org")
    client.post(f"/admin/outbox/{message_id}/retry")
    assert the_message(message_id).is_parked  # no CSRF token: nothing happened
    token = csrf_token(client, "/admin/outbox")
    for _ in range(2):  # a double tap
        client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": token})
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "nicht (mehr) geparkt" in page
    assert the_message(message_id).attempts == 0
    assert db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "outbox.retried")) is not None


def test_members_and_hosts_do_not_see_the_outbox(client, make_user, make_space, login):
    space = make_space()
    make_user(email="host@example.org", role="host", space=space)
    login("host@example.org")
    assert client.get("/admin/outbox").status_code == 403
