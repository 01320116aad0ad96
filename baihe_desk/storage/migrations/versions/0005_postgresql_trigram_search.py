"""PostgreSQL: trigram indexes for the case search

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

On SQLite the search is answered by the FTS5 trigram index of revision 0002. On PostgreSQL the same
``LIKE '%text%'`` conditions (case-insensitive there, as SQLite's LIKE is for ASCII) are answered by
pg_trgm GIN indexes on 案号, 收件号, the parties' names, pinyin keys and 住所, and the address texts.
pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it; ``server init``
creates it first and checks that it makes trigrams of Chinese text.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from baihe_desk.storage.search_index import TRGM_INDEXES

    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRGM_INDEXES.items():
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin ({column} gin_trgm_ops)')


def downgrade() -> None:
    from baihe_desk.storage.search_index import TRGM_INDEXES

    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in TRGM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
