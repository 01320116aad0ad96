"""PySide6 user interface (界面). Only this package imports Qt; services never show dialogs."""
