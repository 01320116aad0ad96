"""the period indexes of the case table cover what the month statistics read

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05

统计分析 for a month reads, for the cases filed or closed in it, their 案号 type, department and judge
(and for 超审限结案 the filing day, procedure and id). With those columns in ``ix_case_filed_on`` and
``ix_case_closed_on`` the counts never read the case rows: a month on a million cases 200–270 ms →
120–150 ms (issue 21). Same names, same leading column: every query that used them still does.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FILED = ['filed_on', 'number_type', 'department_id', 'judge_id']
CLOSED = ['closed_on', 'number_type', 'filed_on', 'procedure', 'department_id', 'judge_id', 'id']


def upgrade() -> None:
    op.drop_index('ix_case_filed_on', table_name='case')
    op.drop_index('ix_case_closed_on', table_name='case')
    op.create_index('ix_case_filed_on', 'case', FILED)
    op.create_index('ix_case_closed_on', 'case', CLOSED)


def downgrade() -> None:
    op.drop_index('ix_case_filed_on', table_name='case')
    op.drop_index('ix_case_closed_on', table_name='case')
    op.create_index('ix_case_filed_on', 'case', ['filed_on'])
    op.create_index('ix_case_closed_on', 'case', ['closed_on'])
