"""What a 判后答疑 panel may ask of the page that holds it (a Protocol, so no panel imports the page),
and the panel itself.

The page (:class:`baihe_desk.ui.explanation.page.ExplanationPage`) owns the database, the user, the case
being shown and the background runner; each panel (judgment, requests, tiers, risk, statistics) receives
the page as a ``PanelHost`` and calls only these members.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.ui.common.qt import QLabel, QWidget
from baihe_desk.ui.explanation.data import CaseView


class RequestSelection(Protocol):
    def selected_request(self) -> Any: ...


class PanelHost(Protocol):
    user: User
    paths: Paths
    status: QLabel
    view: CaseView | None
    requests: RequestSelection
    today: Callable[[], date]  # a seam for tests
    exec_dialog: Callable[[Any], Any]  # likewise

    def reload(self, *, select_request: Any = None) -> None: ...

    def run_write(self, fn: Callable[..., Any], done_text: str, *, progress: str | None = None,
                  after: Callable[[Any], None] | None = None) -> None: ...

    def run_read(self, fn: Callable[..., Any], on_success: Callable[[Any], None]) -> None: ...

    def show_error(self, exc: BaseException) -> None: ...


class Panel(QWidget):
    """A tab of the page: ``page`` (the host, also its Qt parent) and the case ``view`` it shows."""

    def __init__(self, page: PanelHost, name: str):
        super().__init__(page)  # type: ignore[arg-type]  # the host is the page widget
        self.page = page
        self.setObjectName(name)
        self.view: CaseView | None = None
