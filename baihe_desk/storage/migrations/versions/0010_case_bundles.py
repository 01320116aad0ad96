"""Case bundles: registered desks, the bundle log (replay protection) and check-out marks

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-05

``exchange_desk`` holds this desk and every desk it exchanges bundles with (public key, fingerprint,
revocation, the last bundle sequence sent to and accepted from it); ``exchange_bundle`` every bundle written
or read here with the record versions it carried; ``exchange_checkout`` the 已借出 / 借入 marks.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import baihe_desk.models.base

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if 'exchange_desk' in sa.inspect(op.get_bind()).get_table_names():
        return  # a database re-stamped to an older revision and migrated again (tests do) keeps its tables
    op.create_table('exchange_desk',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('COURT', 'LAPTOP', 'STATION', name='deskkind', native_enum=False, length=20), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('is_self', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('registered_at', baihe_desk.models.base.UTCDateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Uuid(), nullable=True),
    sa.Column('revoked_at', baihe_desk.models.base.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Uuid(), nullable=True),
    sa.Column('last_sent_seq', sa.Integer(), nullable=False),
    sa.Column('last_received_seq', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['registered_by_id'], ['app_user.id'], name=op.f('fk_exchange_desk_registered_by_id_app_user')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['app_user.id'], name=op.f('fk_exchange_desk_revoked_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_desk')),
    sa.UniqueConstraint('public_key', name=op.f('uq_exchange_desk_public_key'))
    )
    op.create_table('exchange_bundle',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('peer_desk_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('base_bundle_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', baihe_desk.models.base.UTCDateTime(), nullable=False),
    sa.Column('processed_at', baihe_desk.models.base.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('case_ids', sa.JSON(), nullable=False),
    sa.Column('versions', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['peer_desk_id'], ['exchange_desk.id'], name=op.f('fk_exchange_bundle_peer_desk_id_exchange_desk')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_exchange_bundle_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_bundle')),
    sa.UniqueConstraint('direction', 'peer_desk_id', 'sequence', name='uq_exchange_bundle_seq')
    )
    op.create_index(op.f('ix_exchange_bundle_peer_desk_id'), 'exchange_bundle', ['peer_desk_id'], unique=False)
    op.create_table('exchange_checkout',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('desk_id', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('checked_out_at', baihe_desk.models.base.UTCDateTime(), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    sa.Column('returned_at', baihe_desk.models.base.UTCDateTime(), nullable=True),
    sa.Column('returned_bundle_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['app_user.id'], name=op.f('fk_exchange_checkout_by_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_exchange_checkout_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['desk_id'], ['exchange_desk.id'], name=op.f('fk_exchange_checkout_desk_id_exchange_desk')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_checkout'))
    )
    op.create_index(op.f('ix_exchange_checkout_case_id'), 'exchange_checkout', ['case_id'], unique=False)
    op.create_index('ix_exchange_checkout_open', 'exchange_checkout', ['case_id', 'returned_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_exchange_checkout_open', table_name='exchange_checkout')
    op.drop_index(op.f('ix_exchange_checkout_case_id'), table_name='exchange_checkout')
    op.drop_table('exchange_checkout')
    op.drop_index(op.f('ix_exchange_bundle_peer_desk_id'), table_name='exchange_bundle')
    op.drop_table('exchange_bundle')
    op.drop_table('exchange_desk')
