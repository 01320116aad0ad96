"""列表 + 详情 — the list and detail page every workflow repeats: plain rows in a read-only table, the
selected row's detail beside it, both read in the background, only the newest load shown.

- :class:`RowsModel`: a ``QAbstractTableModel`` over a list of plain rows (the services' frozen
  dataclasses): ``HEADERS`` and ``cells(row)``, or ``columns=[(header, row → value), …]``.
- :func:`rows_table` / :func:`column_widths`: the table set-up (whole rows, one at a time, read only,
  header sizes from sample texts); :func:`text_table` / :func:`fill_table` for a small ``QTableWidget``.
- :class:`LatestLoads`: generation-guarded background loading through
  :func:`baihe_desk.ui.common.background.run_in_background` (an older load finishing later is dropped).
- :class:`ListDetailPage`: the page itself — ``db``/``paths``/``user``, the model and table, the rows
  listed again with the selection kept, the selected row handed to ``row_selected`` and the splitter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import splitter, vbox
from baihe_desk.ui.common.qt import (
    QAbstractItemView,
    QAbstractTableModel,
    QHeaderView,
    QModelIndex,
    QObject,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from baihe_desk.ui.common.widgets import named

Role = Qt.ItemDataRole
Resize = QHeaderView.ResizeMode


class RowsModel(QAbstractTableModel):
    """A read-only table over plain rows. ``rows`` is the list shown; ``set_rows`` replaces it.

    ``cells(row)`` answers the ``TEXT_ROLES`` (display and accessible text by default); ``role_data(row,
    column, role)`` every other role (colours, fonts, tooltips; ``UserRole`` is the row itself). With
    ``columns=[(header, row → value), …]`` no subclass is needed (None shows as an empty cell).
    """

    HEADERS: Sequence[str] = ()
    TEXT_ROLES: tuple[int, ...] = (Role.DisplayRole, Role.AccessibleTextRole)

    def __init__(self, parent: QObject | None = None, *, columns: Sequence[tuple[str, Callable[[Any], object]]] = (),
                 headers: Sequence[str] = (), tooltips: bool = False):
        super().__init__(parent)
        self.columns = list(columns)
        if columns or headers:
            self.HEADERS = tuple(headers) or tuple(h for h, _fn in columns)
        if tooltips:  # the tooltip repeats the text (a value wider than its column)
            self.TEXT_ROLES = (*self.TEXT_ROLES, Role.ToolTipRole)
        self.rows: list[Any] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        """The row at ``index``, or None."""
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def row_of(self, value: object, key: str = "id") -> int:
        """The index of the first row whose ``key`` is ``value`` (-1: none)."""
        return next((i for i, r in enumerate(self.rows) if getattr(r, key) == value), -1)

    def cells(self, row: Any) -> Sequence[Any]:
        return tuple("" if v is None else str(v) for v in (fn(row) for _header, fn in self.columns))

    def role_data(self, row: Any, column: int, role: int) -> Any:
        return row if role == Role.UserRole else None

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole) -> Any:  # noqa: N802
        if role == Role.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Role.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role in self.TEXT_ROLES:
            return self.cells(row)[index.column()]
        return self.role_data(row, index.column(), role)


def _set_up(view: QAbstractItemView, *, rows: bool = True, single: bool = True, wrap: bool = True,
            tab_keys: bool = True, alternating: bool = False) -> None:
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if rows:
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if not wrap:
        view.setWordWrap(False)  # type: ignore[attr-defined]
    if not tab_keys:
        view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard-first forms)
    if alternating:
        view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)  # type: ignore[attr-defined]


def column_widths(view: QTableView, widths: Mapping[int, str], pad: int = 16) -> None:
    """Columns the user may resize, as wide as their sample text (the longest expected value) plus ``pad``."""
    header, fm = view.horizontalHeader(), view.fontMetrics()
    for column, sample in widths.items():
        header.setSectionResizeMode(column, Resize.Interactive)
        header.resizeSection(column, fm.horizontalAdvance(sample) + pad)


def rows_table(model: QAbstractTableModel, name: str, accessible: str, *, view: QTableView | None = None,
               resize: Resize = Resize.ResizeToContents, stretch_last: bool = True, stretch: Iterable[int] = (),
               widths: Mapping[int, str] | None = None, pad: int = 16, single: bool = True, wrap: bool = True,
               tab_keys: bool = True, alternating: bool = False) -> QTableView:
    """A table showing ``model``: whole rows selected (one at a time unless ``single=False``), read only,
    no row numbers; columns sized to their contents (``resize``), the last one (or ``stretch``) taking
    what is left, ``widths`` (see :func:`column_widths`) resizable by the user."""
    view = named(view if view is not None else QTableView(), name, accessible)
    view.setModel(model)
    _set_up(view, single=single, wrap=wrap, tab_keys=tab_keys, alternating=alternating)
    header = view.horizontalHeader()
    header.setSectionResizeMode(resize)
    header.setStretchLastSection(stretch_last)
    if widths:
        column_widths(view, widths, pad)
    for column in stretch:
        header.setSectionResizeMode(column, Resize.Stretch)
    return view


def text_table(name: str, accessible: str, headers: Sequence[str], *, select_rows: bool = True, single: bool = False,
               stretch_last: bool = True, alternating: bool = False) -> QTableWidget:
    """A small read-only table of texts (a statistics table, a short list) filled by :func:`fill_table`."""
    table = named(QTableWidget(0, len(headers)), name, accessible)
    table.setHorizontalHeaderLabels(list(headers))
    _set_up(table, rows=select_rows, single=single, alternating=alternating)
    table.horizontalHeader().setSectionResizeMode(Resize.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(stretch_last)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))


def select_row(table: QTableView, key: str, value: object) -> bool:
    """Select the row of ``table`` (over a :class:`RowsModel`) whose ``key`` is ``value``; False: not listed."""
    index = table.model().row_of(value, key)  # type: ignore[attr-defined]
    if index >= 0:
        table.selectRow(index)
    return index >= 0


class LatestLoads:
    """Mixin for a widget with ``db``: background loads of which only the newest is shown.

    ``load_latest(fn, show)`` runs ``fn(session, ctx)``; ``show(result)`` gets the result only if no later
    load of the same ``channel`` was started meanwhile (an older one may finish later). ``loads``
    counts the results of the ``detail`` channel shown (tests and automation wait on it).
    """

    loads = 0
    _generations: dict[str, int] | None = None

    def load_latest(self, fn: Callable[..., Any], show: Callable[[Any], None], *, channel: str = "detail",
                    write: bool = False) -> None:
        generation = self.forget_loads(channel)

        def done(result: Any) -> None:
            if self._generations is not None and self._generations[channel] == generation:
                show(result)
                if channel == "detail":
                    self.loads += 1

        run_in_background(fn, parent=self, db=self.db, write=write, on_success=done)  # type: ignore[attr-defined]

    def forget_loads(self, channel: str = "detail") -> int:
        """Drop the loads of ``channel`` still running (what is shown now is newer); the new generation."""
        if self._generations is None:
            self._generations = {}
        self._generations[channel] = self._generations.get(channel, 0) + 1
        return self._generations[channel]


class ListDetailPage(LatestLoads, QWidget):
    """A workflow page: a table of plain rows (``model``, ``table``) and the selected row's detail.

    ``__init__(db, paths, user, objectName, model class, (table objectName, accessibleName), parent,
    **rows_table options)``. A subclass gives ``list_query()`` and ``detail_query(key)`` — each returns
    the function its worker thread runs with a session — and ``show_detail(detail)``. Then
    ``refresh()`` lists the rows again (the row of the detail shown stays selected; ``listed(result)``
    follows), selecting a row loads its detail (only the newest load is shown; ``loads`` counts them)
    and ``select_case(value)`` selects the row whose ``FIND_KEY`` is ``value``.
    """

    ROW_KEY = "id"  # the attribute of a row naming its record (what ``detail_query`` receives)
    DETAIL_KEY = "id"  # the same attribute of the detail shown
    FIND_KEY = "id"  # what ``select_case`` looks for
    detail: Any = None

    def __init__(self, db: Any, paths: Any, user: Any, name: str, model: Callable[[QObject], RowsModel],
                 table: tuple[str, str], parent: QWidget | None = None, **table_options: Any):
        super().__init__(parent)
        self.setObjectName(name)
        self.db, self.paths, self.user = db, paths, user
        self.model = model(self)
        self.table = rows_table(self.model, *table, **table_options)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._current_row(cur.row()))

    # -- the subclass's part ----------------------------------------------------------------------
    def list_query(self) -> Callable[[Any], Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def listed(self, result: Any) -> None:
        """After the rows were listed (``result`` is what ``list_query``'s function returned)."""

    def detail_query(self, key: Any) -> Callable[[Any], Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def show_detail(self, detail: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # -- list -------------------------------------------------------------------------------------
    def refresh(self) -> None:
        keep = getattr(self.detail, self.DETAIL_KEY) if self.detail is not None else None
        self.list_rows(self.list_query(), keep=keep, key=self.ROW_KEY, then=self.listed)

    # -- another desk changed something (ui/common/live.py) -----------------------------------------
    LIVE = True  # False where ``listed`` refills form fields (the roster's pickers): F5 only there

    def live_query(self) -> Callable[[Any], Any]:
        return self.list_query()

    def live_key(self) -> Any:
        return getattr(self.detail, self.DETAIL_KEY) if self.detail is not None else None

    def live_refresh(self) -> None:
        """List the rows again, keep the selected one selected without reloading the detail pane: the
        clerk may be typing in it, and a change at another desk must not wipe that."""
        if self.LIVE:
            self.list_rows(self.live_query(), keep=self.live_key(), key=self.ROW_KEY, quiet=True, then=self.listed)

    def list_rows(self, query: Callable[[Any], Any], *, keep: object = None, key: str = "id", quiet: bool = False,
                  then: Callable[[Any], None] | None = None) -> None:
        """Run ``query(session)`` in the background; its rows (the first item when it returns a tuple) fill
        the table, the row whose ``key`` is ``keep`` is selected again (``quiet``: without calling
        ``row_selected``), then ``then(result)``."""
        def show(result: Any) -> None:
            self.model.set_rows(result[0] if isinstance(result, tuple) else result)
            index = self.model.row_of(keep, key) if keep is not None else -1
            if index >= 0:
                self.table.selectionModel().blockSignals(quiet)
                self.table.selectRow(index)
                self.table.selectionModel().blockSignals(False)
            if then is not None:
                then(result)

        self.load_latest(lambda session, _ctx: query(session), show, channel="list")

    def select_where(self, key: str, value: object) -> bool:
        """Select (and focus) the row whose ``key`` is ``value``; False when it is not listed."""
        if self.model.row_of(value, key) < 0:
            return False
        self.table.setFocus()
        return select_row(self.table, key, value)

    def select_case(self, value: object) -> bool:
        return self.select_where(self.FIND_KEY, value)

    # -- detail -----------------------------------------------------------------------------------
    def _current_row(self, index: int) -> None:
        row = self.model.row(index)
        if row is not None:
            self.row_selected(row)

    def row_selected(self, row: Any) -> None:
        """The current row changed to ``row``: load its detail."""
        self.load(getattr(row, self.ROW_KEY))

    # -- another case: nothing of the previous one stays (ui/common/inputs.py) ---------------------------
    _case_key: Any = None
    _inputs_snapshot: Any = None
    _detail_pane: QWidget | None = None

    def detail_roots(self) -> list[QWidget]:
        """The widgets holding the detail's inputs (default: the right pane of ``set_panes``)."""
        return [self._detail_pane] if self._detail_pane is not None else []

    def forget_case_inputs(self) -> None:
        """Put every input of the detail back as it was before any case was shown (the first call,
        made before the first case is shown, notes those values)."""
        from baihe_desk.ui.common.inputs import InputSnapshot

        if self._inputs_snapshot is None:
            self._inputs_snapshot = InputSnapshot(*self.detail_roots())
        else:
            self._inputs_snapshot.restore()

    def load(self, key: Any) -> None:
        if key != self._case_key:
            self._case_key = key
            self.forget_case_inputs()
        query = self.detail_query(key)
        self.load_latest(lambda session, _ctx: query(session), self.show_detail)

    def set_panes(self, name: str, left: QWidget, right: QWidget, *, stretch: Iterable[int] = (),
                  sizes: Iterable[int] = (), margins: int | None = None) -> None:
        """The page's layout: ``left`` (the list) and ``right`` (the detail) in a splitter called ``name``."""
        self._detail_pane = right
        vbox(splitter(name, left, right, stretch=stretch, sizes=sizes), margins=margins, parent=self)
