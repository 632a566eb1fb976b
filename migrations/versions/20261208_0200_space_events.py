"""Events in a space and their registrations (members, and guests confirmed by a link).

Revision ID: 20261208_0200
Revises: 20261208_0700
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op

revision = '20261208_0200'
down_revision = '20261208_0700'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('space_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('guests_purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('purged_guests', sa.Integer(), nullable=False),
    sa.Column('purged_guests_attended', sa.Integer(), nullable=False),
    sa.CheckConstraint("visibility IN ('public', 'members')", name=op.f('ck_space_event_visibility')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_space_event_capacity_positive')),
    sa.CheckConstraint('start_at < end_at', name=op.f('ck_space_event_start_before_end')),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_space_event_booking_id_booking'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_space_event_created_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['space.id'], name=op.f('fk_space_event_space_id_space'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_space_event'))
    )
    with op.batch_alter_table('space_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_space_event_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_space_event_space_start', ['space_id', 'start_at'], unique=False)
        batch_op.create_index('ix_space_event_start', ['start_at'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('guest_name', sa.String(length=120), nullable=True),
    sa.Column('guest_email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('status', sa.Enum('unconfirmed', 'confirmed', 'waitlisted', 'offered', 'lapsed', 'cancelled', name='registrationstatus', native_enum=False, length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offer_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered', 'lapsed', 'cancelled')", name=op.f('ck_event_registration_status')),
    sa.CheckConstraint('(user_id IS NULL) <> (guest_email IS NULL)', name=op.f('ck_event_registration_member_or_guest')),
    sa.ForeignKeyConstraint(['event_id'], ['space_event.id'], name=op.f('fk_event_registration_event_id_space_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_event_registration_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration'))
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index('ix_event_registration_event', ['event_id', 'created_at'], unique=False)
        batch_op.create_index('ix_event_registration_user', ['user_id'], unique=False)
        batch_op.create_index('uq_event_registration_guest', ['event_id', 'guest_email'], unique=True, postgresql_where=sa.text("guest_email IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"), sqlite_where=sa.text("guest_email IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"))
        batch_op.create_index('uq_event_registration_member', ['event_id', 'user_id'], unique=True, postgresql_where=sa.text("user_id IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"), sqlite_where=sa.text("user_id IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"))
        batch_op.create_index('uq_event_registration_token', ['token_hash'], unique=True)



def downgrade():
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_event_registration_token')
        batch_op.drop_index('uq_event_registration_member', postgresql_where=sa.text("user_id IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"), sqlite_where=sa.text("user_id IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"))
        batch_op.drop_index('uq_event_registration_guest', postgresql_where=sa.text("guest_email IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"), sqlite_where=sa.text("guest_email IS NOT NULL AND status IN ('unconfirmed', 'confirmed', 'waitlisted', 'offered')"))
        batch_op.drop_index('ix_event_registration_user')
        batch_op.drop_index('ix_event_registration_event')

    op.drop_table('event_registration')
    with op.batch_alter_table('space_event', schema=None) as batch_op:
        batch_op.drop_index('ix_space_event_start')
        batch_op.drop_index('ix_space_event_space_start')
        batch_op.drop_index(batch_op.f('ix_space_event_booking_id'))

    op.drop_table('space_event')
