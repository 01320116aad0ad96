"""search documents numbered newest first

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Revision 0002 numbered the search documents by receipt day counting upwards, so the default
order (newest first) made FTS5 read its doclists backwards: 20 ms for the first page of a year
prefix like "（2020" on a million cases, against 2–4 ms forwards. The documents are renumbered
with the days counting down (``storage.search_index``) and the triggers replaced; minutes for a
million cases, after the pre-migration backup. PostgreSQL has no search index: nothing to do.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from baihe_desk.storage import search_index

    bind = op.get_bind()
    if bind.dialect.name != 'sqlite' or not search_index.available(bind):
        return
    if search_index.installed(bind) and search_index.numbered_newest_first(bind):
        return  # a database that 0002 indexed with this code (a new one, or 0001 → head in one go)
    search_index.install(bind)  # refills the tables, numbered anew, with the new triggers


def downgrade() -> None:
    # 0002's code reads document ids the other way round: remove the index rather than leave it
    # misread (without it the search uses LIKE — exact, only slower); 0002's upgrade rebuilds it.
    from baihe_desk.storage import search_index

    if op.get_bind().dialect.name == 'sqlite':
        for statement in search_index.drop_ddl():
            op.execute(statement)
