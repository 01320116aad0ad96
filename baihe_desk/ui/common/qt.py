"""Qt import shim: the one place that names the Qt binding.

Everything in ``ui/`` imports Qt classes from here, so a future move (another PySide6 module layout,
a different binding for a build) changes one file.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QEventLoop,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    QRunnable,
    QSize,
    QStringListModel,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QBoxLayout,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

try:  # shiboken6 tells whether the C++ side of a wrapper is still alive
    from shiboken6 import isValid as is_alive
except ImportError:  # pragma: no cover - shiboken6 always ships with PySide6
    def is_alive(obj: object) -> bool:
        return obj is not None

QT_VERSION = QtCore.qVersion()

__all__ = [
    "is_alive", "QAbstractButton", "QCalendarWidget", "QDateTimeEdit", "QTextEdit", "QFileDialog", "QAbstractItemView", "QAbstractSpinBox", "QAbstractTableModel", "QAction", "QApplication",
    "QBoxLayout", "QCheckBox", "QCloseEvent", "QComboBox", "QCompleter", "QCoreApplication", "QDate",
    "QDateEdit", "QDialog", "QDialogButtonBox", "QEvent", "QEventLoop", "QFont", "QFontDatabase",
    "QFormLayout", "QFrame", "QGridLayout", "QGroupBox", "QGuiApplication", "QHBoxLayout", "QHeaderView",
    "QInputMethodEvent", "QItemSelectionModel", "QKeyEvent", "QKeySequence", "QLabel", "QLayout",
    "QLibraryInfo", "QLineEdit", "QListWidget", "QListWidgetItem", "QLocale", "QMainWindow", "QMessageBox",
    "QModelIndex", "QObject", "QPlainTextEdit", "QProgressDialog", "QPushButton", "QRunnable",
    "QScrollArea", "QShortcut", "QSize", "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget",
    "QStringListModel", "Qt", "QT_VERSION", "QTableView", "QTableWidget", "QTableWidgetItem", "QTabWidget",
    "QtCore", "QTextBrowser", "QtGui", "QThread", "QThreadPool", "QTimer", "QToolButton", "QTranslator",
    "QtWidgets", "QVBoxLayout", "QWidget", "Signal", "Slot",
]
