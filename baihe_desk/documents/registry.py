"""The registry of document kinds (文书类型) by their stable KIND names, used by the CLI, the services and
stored records.

The engine knows no kind itself: each workflow's services define their kinds (a
:class:`~baihe_desk.documents.builder.DocumentKind` that turns a case into plain values) and
:mod:`baihe_desk.services.common.document_kinds` registers them here, so this package imports no service.
"""

from __future__ import annotations

from baihe_desk.documents.builder import DocumentKind
from baihe_desk.errors import KnownError

KINDS: dict[str, DocumentKind] = {}


def register(*kinds: DocumentKind) -> None:
    """Add kinds to the registry (registering the same object again is harmless; a clash is a bug)."""
    for kind in kinds:
        known = KINDS.get(kind.kind)
        if known is not None and known is not kind:
            raise ValueError(f"document kind {kind.kind!r} registered twice")
        KINDS[kind.kind] = kind


def get_kind(kind: str) -> DocumentKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise KnownError(f"没有这种文书：{kind}。可用：{'、'.join(KINDS)}。") from None
