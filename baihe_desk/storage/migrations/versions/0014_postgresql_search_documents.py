"""PostgreSQL: one search document per case behind the case search

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

The per-column trigram indexes of revision 0005 stay (a query with a control character still uses
them); ``case_search`` (``storage.search_pg``) holds each case's 案号, 收件号, parties and addresses in
one lower-cased text with a trigram index and an index in the list's order, kept by statement
triggers. On a million cases a common string's first page fell from 1.5–3 s to a few ms and a rare
one's from ~0.7 s to ~1 ms (issue 21). SQLite has its own index (revision 0002): nothing to do there.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from baihe_desk.storage import search_pg

    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in search_pg.ddl():
        op.execute(statement)
    op.execute(search_pg.fill_sql())
    for statement in search_pg.INDEXES:
        op.execute(statement)
    op.execute(f"ANALYZE {search_pg.TABLE}")


def downgrade() -> None:
    from baihe_desk.storage import search_pg

    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in search_pg.drop_sql():
        op.execute(statement)
