"""Party: where the party has its domicile (境内 / 境内没有住所 / 港澳台)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

A party with no domicile in the PRC answers and appeals within 30 days (民事诉讼法第二百八十五条、第二百八十六条;
港澳台 by reference, 民诉法解释第五百四十九条). Existing parties are domestic ('MAINLAND'), the only kind the desk
knew before.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'domicile_region',
            sa.Enum('MAINLAND', 'FOREIGN', 'HK_MO_TW', name='domicileregion', native_enum=False, length=20),
            server_default='MAINLAND', nullable=False))


def downgrade() -> None:
    # in place (SQLite 3.35+): a batch copy of the table would drop the search-index triggers that name it
    op.execute('ALTER TABLE party DROP COLUMN domicile_region')
