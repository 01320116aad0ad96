"""PostgreSQL: notify the desks of changes to the cases and their workflows

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

After every INSERT, UPDATE or DELETE statement on the tables a queue shows (``change_watch.WATCHED_TABLES``)
the server sends ``NOTIFY baihe_desk_changes, '<table>'``; each desk LISTENs and refreshes its lists
(storage/change_watch.py). Statement-level triggers: one notification per statement, not per row, and
PostgreSQL folds identical notifications of one transaction into one. SQLite needs nothing: its desks
read ``PRAGMA data_version``.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    from baihe_desk.storage.change_watch import CHANNEL, WATCHED_TABLES

    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute("CREATE OR REPLACE FUNCTION baihe_desk_notify_change() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$")
    for table in WATCHED_TABLES:
        op.execute(f'CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                   "FOR EACH STATEMENT EXECUTE FUNCTION baihe_desk_notify_change()")


def downgrade() -> None:
    from baihe_desk.storage.change_watch import WATCHED_TABLES

    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in WATCHED_TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS {table}_notify_change ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS baihe_desk_notify_change()")
