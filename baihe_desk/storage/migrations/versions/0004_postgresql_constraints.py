"""PostgreSQL: the constraints revision 0001 left out there

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05

Revision 0001 was generated on SQLite. On PostgreSQL two of its constraints never reached the database:
the department's foreign keys to app_user (``chief_id``, ``overseer_id``) are declared ``use_alter`` — the
two tables point at each other — and ``create_table`` leaves such keys for a later ALTER that never came;
and the unique key of ``case_number_counter`` did not appear either. The test that compares ``upgrade
head`` with the models on both databases found it. SQLite has them already: nothing to do there.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

FOREIGN_KEYS = (
    ("fk_department_chief_id_app_user", "chief_id"),
    ("fk_department_overseer_id_app_user", "overseer_id"),
)
COUNTER_KEY = "uq_case_number_counter_key"


def _existing(bind) -> set[str]:  # type: ignore[no-untyped-def]
    return set(bind.execute(sa.text("SELECT conname FROM pg_constraint")).scalars())


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    have = _existing(bind)
    for name, column in FOREIGN_KEYS:
        if name not in have:
            op.create_foreign_key(name, 'department', 'app_user', [column], ['id'])
    if COUNTER_KEY not in have:
        op.create_unique_constraint(COUNTER_KEY, 'case_number_counter', ['court_code', 'year', 'type_code'])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    have = _existing(bind)
    if COUNTER_KEY in have:
        op.drop_constraint(COUNTER_KEY, 'case_number_counter', type_='unique')
    for name, _column in FOREIGN_KEYS:
        if name in have:
            op.drop_constraint(name, 'department', type_='foreignkey')
