"""Revision 0003 keeps what existed: users stay signed in until they sign out, old tokens expire."""
from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from coworking.extensions import db


def test_tokens_issued_before_the_upgrade_expire_a_year_after_issue(app):
    downgrade(revision="0002")
    assert "expires_at" not in {c["name"] for c in inspect(db.engine).get_columns("api_token")}
    issued = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO user_account (id, email, name, password_hash, created_at) "
                          "VALUES (1, 'old@example.org', 'Old', 'x', :at)"), {"at": issued})
        conn.execute(text("INSERT INTO api_token (user_id, token_hash, created_at) "
                          "VALUES (1, 'abc', :at)"), {"at": issued})
    upgrade()
    from coworking.accounts.models import ApiToken, User

    token = db.session.scalar(db.select(ApiToken))
    assert token.expires_at == datetime(2027, 5, 4, 10, 30, tzinfo=UTC)
    assert token.name is None and token.last_used_at is None
    assert db.session.get(User, 1).session_epoch == 0
