"""Everything the system holds about a member, as one JSON document.

It is read from the schema itself: every table with a column that belongs to the member (a
foreign key to the account that goes with it) is included, and the tables hanging off those
rows one step further (credits of their memberships, cover of their bookings). A table added
later is therefore in the download without anyone remembering to add it. Secrets (password
and token hashes) are left out; what the member did as a host to other people's rows is not
theirs to download."""
import enum
from datetime import date, datetime, time

from sqlalchemy import or_, select

from coworking import clock
from coworking.accounts.models import User
from coworking.audit import AuditEntry
from coworking.extensions import db
from coworking.invoicing.service import as_json as invoice_json, invoices_of
from coworking.outbox import OutboxMessage

USER_TABLE = User.__table__
# Columns that would let someone act as the member, or that mean nothing outside the server.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "nonce", "session_epoch",
                            "fingerprint"})


def _value(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(table, row):
    return {column.name: _value(row[column.name]) for column in table.columns
            if column.name not in SECRET_COLUMNS}


def owner_columns(table):
    """Columns of `table` naming the account a row belongs to (deleted with it)."""
    return [column for column in table.columns
            for key in column.foreign_keys
            if key.column.table is USER_TABLE and key.ondelete == "CASCADE"]


def _rows(table, where):
    primary = list(table.primary_key.columns)
    return db.session.execute(select(table).where(where).order_by(*primary)).mappings().all()


def personal_data(user):
    """{account, tables: {table: rows}, emails, research_consent_history, invoices}: the
    invoices and credit notes made out to the member as the API shows them."""
    owned, tables = {}, {}
    for table in db.metadata.sorted_tables:
        columns = owner_columns(table)
        if table is USER_TABLE or not columns:
            continue
        rows = _rows(table, or_(*[column == user.id for column in columns]))
        owned[table] = rows
        tables[table.name] = [_row(table, row) for row in rows]
    # One step further: rows that hang off the member's own rows.
    ids = {table: [row[next(iter(table.primary_key.columns)).name] for row in rows]
           for table, rows in owned.items() if len(table.primary_key.columns) == 1}
    for table in db.metadata.sorted_tables:
        if table is USER_TABLE or table in owned:
            continue
        links = [column.in_(ids[key.column.table]) for column in table.columns
                 for key in column.foreign_keys
                 if key.column.table in ids and ids[key.column.table]]
        if links:
            tables[table.name] = [_row(table, row) for row in _rows(table, or_(*links))]
    account = _row(USER_TABLE, db.session.execute(
        select(USER_TABLE).where(USER_TABLE.c.id == user.id)).mappings().one())
    account["roles"] = [{"role": role.role, "space_id": role.space_id} for role in user.roles]
    return {"exported_at": clock.utcnow().isoformat(), "account": account,
            "tables": {name: rows for name, rows in sorted(tables.items()) if rows},
            "emails": emails_to(user),
            "research_consent_history": consent_history(user),
            "invoices": [invoice_json(invoice) for invoice in invoices_of(user)]}


def emails_to(user):
    """The e-mails written to the member's address that the system still keeps."""
    return [{"subject": message.payload.get("subject"), "written_at": _value(message.created_at),
             "sent_at": _value(message.processed_at)}
            for message in mails_to(user)]


def mails_to(user):
    return [message for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.topic == "mail").order_by(OutboxMessage.id))
        if message.payload.get("to") == user.email]


def consent_history(user):
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.actor_id == user.id,
                                 AuditEntry.target_type == "user",
                                 AuditEntry.target_id == user.id,
                                 AuditEntry.action.in_(("research.consent", "research.withdraw")))
        .order_by(AuditEntry.at, AuditEntry.id))
    return [{"at": _value(entry.at), "action": entry.action} for entry in entries]
