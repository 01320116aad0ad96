"""Every editable record carries a version (row_version)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

The case already had one; now every record a person edits has it (``models.base.Versioned``): SQLAlchemy
checks it on every UPDATE, and a form sends the version it showed, so a save over another desk's newer
change becomes a conflict the clerk decides, never a silent overwrite. Existing rows start at 1.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = (
    'address', 'address_verification', 'agent', 'app_user', 'complaint_review', 'court_profile', 'department',
    'enforcement_advice', 'enforcement_consultation', 'explanation_request', 'explanation_risk',
    'explanation_tier', 'judgment_record', 'judgment_service', 'mediation_case', 'mediation_extension',
    'mediation_organisation', 'mediation_session', 'mediation_suspension', 'mediator', 'party', 'review_answer',
    'service_address', 'service_attempt', 'trial_limit_extension', 'trial_limit_suspension',
)


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default, on SQLite too: a batch copy of the table would drop the
    # search-index triggers that name it.
    for table in TABLES:
        op.add_column(table, sa.Column('row_version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    # SQLite 3.35+ drops a plain column in place (a batch copy would lose the search triggers).
    for table in reversed(TABLES):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN row_version')
