"""Schema migrations with Alembic (imported lazily: alembic costs start-up time)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@cache
def _revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files themselves (once: they ship inside
    the package). Checked at every start, so it must not import Alembic (0.5 s); a test proves it
    equals Alembic's own reading."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        rev = _REVISION_RE.search(source)
        if rev is None:
            continue
        down = _DOWN_RE.search(source)
        graph[rev.group(1)] = down.group(1) if down and down.group(1) else None
    return graph


_REVISION_RE = re.compile(r"^revision(?:\s*:\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_RE = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


def head_revision() -> str:
    graph = _revision_graph()
    if not graph:  # e.g. a frozen build that left the migration files inside its archive
        raise RuntimeError(f"no migration files in {MIGRATIONS / 'versions'}: they must ship as files")
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())  # a copy: callers may not change the cached graph


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_any_table(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate/compare filter: the search index's tables (FTS5 and its shadow tables, made by
    ``search_index.install`` in revision 0002, not by the models) and PostgreSQL's trigram indexes
    (revision 0005, ``search_index.TRGM_INDEXES``) are not part of the models."""
    from baihe_desk.storage.search_index import TRGM_INDEXES, is_index_table

    if name is None:
        return True
    if type_ == "table":
        return not is_index_table(name)
    return not (type_ == "index" and (name in TRGM_INDEXES or name.startswith("ix_case_search_")))


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    cfg = _config(str(engine.url))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
