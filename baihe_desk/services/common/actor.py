"""执行者 — who acts in a service call: a logged-in ``User`` or the desk itself (``SYSTEM``).

Its own module so that both :mod:`permissions` (which decides what an actor may do) and :mod:`audit`
(which records who did it) can name the type without importing each other.
"""

from __future__ import annotations

from typing import Final

from baihe_desk.models import User


class SystemActor:
    """The desk itself, acting when nobody can be logged in: the first start (the court profile typed with
    the first administrator's account), the demo data that start offers, and migrations. It is not a user
    and holds only ``permissions.SYSTEM_PERMS``; its audit records carry the name 系统. A caller with no actor
    at all (``None``) is refused everywhere, so forgetting to pass the user never grants anything."""

    __slots__ = ()
    id: None = None
    username: str = "系统"
    display_name: str = "系统"
    active: bool = True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()
Actor = User | SystemActor
