"""日期和时间输入 — a date field the clerk types into, and the reading of typed dates and times.

:class:`DateInput` is a line edit with the date-edit calls the pages use (``date()``, ``setDate()``,
``dateChanged``, minimum/maximum), so one Tab leaves it. It takes ``2026-12-05``, ``2026/12/5``,
``20261205``, ``2026年12月5日``, ``12-05``, ``1205`` (this year), ``今天`` / ``t``, ``昨天``, ``明天``, full-width
digits too; F4 or Alt+↓ opens the calendar (at today when empty, never at 1900); ↑/↓ step a day.
An optional date may stay empty (``value()`` is None).

"Today" comes from ``TODAY`` (the desk's clock, the court's day in Asia/Shanghai; tests set it). Every default date
of the UI comes from it (:func:`desk_today`, :func:`today_qdate`), never from the PC's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from baihe_desk.ui.common.inputs import normalise_digits
from baihe_desk.ui.common.qt import (
    QCalendarWidget,
    QDate,
    QEvent,
    QKeyEvent,
    QLineEdit,
    QObject,
    Qt,
    QWidget,
    Signal,
)


def desk_today() -> date:
    """The court's day: the desk's clock (Asia/Shanghai, ``clocks.today_local``), not the PC's time zone,
    so a date field's default is the day the services check against."""
    from baihe_desk.services.deadlines.clocks import today_local  # lazily: it brings SQLAlchemy

    return today_local()


TODAY: Callable[[], date] = desk_today  # the clock every date field asks (tests replace it)


def today_qdate() -> QDate:
    """Today (the desk's clock, :data:`TODAY`) as a QDate: never ``QDate.currentDate()`` (the PC's zone)."""
    return _qdate(TODAY())

WORDS = {"今天": 0, "今日": 0, "今": 0, "t": 0, "today": 0, "昨天": -1, "昨日": -1, "y": -1, "明天": 1, "明日": 1}
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_MD = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str, today: date) -> date | None:
    """The date ``text`` means (None: not a date). Month-day forms are in ``today``'s year."""
    t = normalise_digits(text).strip().lower()
    if not t:
        return None
    if t in WORDS:
        return today + timedelta(days=WORDS[t])
    try:
        if m := _YMD.match(t):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if re.fullmatch(r"\d{8}", t):
            return date(int(t[:4]), int(t[4:6]), int(t[6:]))
        if m := _MD.match(t):
            return date(today.year, int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}", t):
            return date(today.year, int(t[:2]), int(t[2:]))
    except ValueError:  # 2026-02-30
        return None
    return None


def parse_time(text: str) -> str | None:
    """``HH:MM`` for ``14:00``, ``1400``, ``14.00``, ``14：00``, ``930``, ``9:30``, ``14`` (None: not a time)."""
    t = normalise_digits(text).strip().replace("：", ":").replace(".", ":").replace("时", ":").rstrip("分")
    if m := re.fullmatch(r"(\d{1,2}):(\d{1,2})", t):
        h, mi = int(m[1]), int(m[2])
    elif re.fullmatch(r"\d{3,4}", t):
        h, mi = int(t[:-2]), int(t[-2:])
    elif re.fullmatch(r"\d{1,2}:?", t):
        h, mi = int(t.rstrip(":")), 0
    else:
        return None
    return f"{h:02d}:{mi:02d}" if h < 24 and mi < 60 else None


def _qdate(value: date | QDate | None) -> QDate:
    if value is None:
        return QDate()
    if isinstance(value, QDate):
        return value
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date | None:
    return date(value.year(), value.month(), value.day()) if value.isValid() else None


class DateInput(QLineEdit):
    """A typed date. ``DateInput(optional=False, value=None, maximum=None, today=TODAY)``: a required
    date starts at today unless ``value`` is given; an optional one starts empty."""

    dateChanged = Signal(QDate)  # noqa: N815 - the date edit's name, so callers need not change

    def __init__(self, parent: QWidget | None = None, *, optional: bool = False, value: date | None = None,
                 maximum: date | None = None, today: Callable[[], date] | None = None):
        super().__init__(parent)
        self.today = today or (lambda: TODAY())
        self.optional = optional
        self._min, self._max = QDate(1900, 1, 1), _qdate(maximum) if maximum else QDate(7999, 12, 31)
        self._date = QDate()
        self.setPlaceholderText("2026-12-05 或 t")  # the rest of what it reads is in the tooltip
        self.setToolTip("输入日期：2026-12-05、20261205、12-05 或“今天”（t）；F4 打开日历，↑↓ 加减一天")
        self.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("2026-12-05　今天(t)") + 24)
        self.editingFinished.connect(self.commit)
        self.popup: QCalendarWidget | None = None
        if value is not None or not optional:
            self.setDate(value or self.today())

    # -- the date-edit calls ------------------------------------------------------------------------
    def date(self) -> QDate:
        """The date typed (read as it stands, so a button pressed without leaving the field sees it)."""
        if self.optional and not self.text().strip():
            return QDate()
        typed = self._typed()
        return _qdate(typed) if typed is not None and self._in_range(typed) else self._date

    def setDate(self, value: date | QDate | None) -> None:  # noqa: N802
        q = _qdate(value)
        if q.isValid():
            q = max(self._min, min(self._max, q))
        changed = q != self._date
        self._date = q
        self.setText(q.toString("yyyy-MM-dd") if q.isValid() else "")
        self._mark(ok=True)
        if changed:
            self.dateChanged.emit(q)

    def setMinimumDate(self, value: date | QDate) -> None:  # noqa: N802
        self._min = _qdate(value)

    def setMaximumDate(self, value: date | QDate) -> None:  # noqa: N802
        self._max = _qdate(value)

    def minimumDate(self) -> QDate:  # noqa: N802
        return self._min

    def maximumDate(self) -> QDate:  # noqa: N802
        return self._max

    def value(self) -> date | None:
        return _pydate(self.date())

    def set_value(self, value: date | None) -> None:
        self.setDate(value)

    # InputSnapshot: restore the date, not just the text
    def snapshot_value(self) -> QDate:
        return self.date()

    def restore_value(self, value: QDate) -> None:
        self.setDate(value if value.isValid() else (None if self.optional else self.today()))

    # -- typing ---------------------------------------------------------------------------------------
    def _typed(self) -> date | None:
        return parse_date(self.text(), self.today())

    def _in_range(self, d: date) -> bool:
        return self._min <= _qdate(d) <= self._max

    def commit(self) -> None:
        """Leaving the field: a date typed is taken (shown as yyyy-MM-dd); anything else is refused
        and the field goes back to its date, red, with the reason in its tooltip."""
        text = self.text().strip()
        if not text and self.optional:
            self.setDate(None)
            return
        typed = self._typed()
        if typed is not None and self._in_range(typed):
            self.setDate(typed)
            return
        if not text:
            self.setDate(self._date if self._date.isValid() else self.today())
            return
        reason = (f"日期须在 {self._min.toString('yyyy-MM-dd')} 至 {self._max.toString('yyyy-MM-dd')} 之间"
                  if typed is not None else f"“{text}”不是日期")
        self.setDate(self._date)
        self._mark(ok=False, reason=reason)

    def _mark(self, *, ok: bool, reason: str = "") -> None:
        self.setStyleSheet("" if ok else "QLineEdit { border: 1px solid #b3261e; }")
        self.setAccessibleDescription(reason)
        if reason:
            self.setToolTip(reason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
            self.open_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not mods:
            current = _pydate(self.date()) or self.today()
            self.setDate(current + timedelta(days=1 if key == Qt.Key.Key_Up else -1))
            self.selectAll()
            return
        super().keyPressEvent(event)

    # -- the calendar ---------------------------------------------------------------------------------
    def open_calendar(self) -> QCalendarWidget:
        if self.popup is None:
            self.popup = QCalendarWidget(self)
            self.popup.setObjectName(f"{self.objectName() or 'date'}Calendar")
            self.popup.setAccessibleName(f"{self.accessibleName() or '日期'}日历")
            self.popup.setWindowFlags(Qt.WindowType.Popup)
            self.popup.activated.connect(self._picked)
            self.popup.clicked.connect(self._picked)
            self.popup.installEventFilter(_ESCAPE)
        current = self.date() if self.date().isValid() else _qdate(self.today())
        self.popup.setDateRange(self._min, self._max)
        self.popup.setSelectedDate(current)
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.popup.setFocus()
        return self.popup

    def _picked(self, value: QDate) -> None:
        self.setDate(value)
        if self.popup is not None:
            self.popup.hide()
        self.setFocus()


class _EscapeCloses(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            obj.hide()
            return True
        return False


_ESCAPE = _EscapeCloses()


def time_field(name: str, accessible: str) -> QLineEdit:
    """A time typed as ``14:00`` or ``1400`` (also ``9:30``, ``930``, full-width digits); shown as
    ``HH:MM`` once the clerk leaves it. No input mask: a mask turned ``14:00`` into ``1:40``."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText("如 14:00")
    edit.setToolTip("时:分，如 14:00，也可输入 1400")
    edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhNoPredictiveText)
    edit.setMaximumWidth(edit.fontMetrics().horizontalAdvance("14:00__") + 24)

    def tidy() -> None:
        value = parse_time(edit.text())
        if value is not None and value != edit.text():
            edit.setText(value)

    edit.editingFinished.connect(tidy)
    return edit


def time_text(edit: QLineEdit) -> str:
    """``HH:MM`` of what was typed (the text itself when it is no time: the service names the problem)."""
    return parse_time(edit.text()) or edit.text().strip()
