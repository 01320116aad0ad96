"""search index and list indexes (issue 9: a million cases)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

The period statistics get date indexes on the workflow tables; the case list's sort orders get covering indexes (the one-column received_on and stage indexes are
replaced by composites that start with the same column), and SQLite gets the FTS5 trigram search
index with its triggers (``storage.search_index``), filled from the cases already there — minutes
for a million cases, after the pre-migration backup. PostgreSQL gets the indexes only; its search
keeps using LIKE.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PERIOD_INDEXES = (
    ('ix_complaint_review_decided_on', 'complaint_review', 'decided_on'),
    ('ix_mediation_case_opened_on', 'mediation_case', 'opened_on'),
    ('ix_mediation_case_outcome_on', 'mediation_case', 'outcome_on'),
    ('ix_service_attempt_attempted_on', 'service_attempt', 'attempted_on'),
    ('ix_enforcement_consultation_sent_on', 'enforcement_consultation', 'sent_on'),
)


def upgrade() -> None:
    from baihe_desk.storage import search_index

    op.drop_index('ix_case_received_on', table_name='case')
    op.drop_index('ix_case_stage', table_name='case')
    op.create_index('ix_case_received_receipt', 'case', ['received_on', 'receipt_number'], unique=False)
    op.create_index('ix_case_cause_receipt', 'case', ['cause_name', 'receipt_number'], unique=False)
    op.create_index('ix_case_stage_receipt', 'case', ['stage', 'receipt_number'], unique=False)
    # date ranges of the period statistics and the work queues on the workflow tables
    for name, table, column in PERIOD_INDEXES:
        op.create_index(name, table, [column], unique=False)
    search_index.install(op.get_bind())


def downgrade() -> None:
    from baihe_desk.storage import search_index

    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for statement in search_index.drop_ddl():
            op.execute(statement)
    for name, table, _column in PERIOD_INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_index('ix_case_stage_receipt', table_name='case')
    op.drop_index('ix_case_cause_receipt', table_name='case')
    op.drop_index('ix_case_received_receipt', table_name='case')
    op.create_index('ix_case_stage', 'case', ['stage'], unique=False)
    op.create_index('ix_case_received_on', 'case', ['received_on'], unique=False)
