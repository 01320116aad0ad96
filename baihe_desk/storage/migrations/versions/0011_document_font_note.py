"""generated documents note a body font that is not 仿宋

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

A desk without 仿宋 draws the PDF's body in the best face it has; the document's record now says so
(``generated_document.font_note``, empty for documents drawn in 仿宋 and for every earlier record).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('generated_document') as batch:
        batch.add_column(sa.Column('font_note', sa.String(length=300), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('generated_document') as batch:
        batch.drop_column('font_note')
