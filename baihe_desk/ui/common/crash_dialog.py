"""The crash dialog (程序错误): says what happened in plain words, where the log is, and that drafts are kept."""

from __future__ import annotations

from pathlib import Path

from baihe_desk.ui.common.qt import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import named


class CrashDialog(QDialog):
    def __init__(self, report: str, log_path: Path | None, drafts: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("程序出现错误")
        self.setAccessibleName("程序出现错误")
        self.report = report
        lines = ["程序遇到了一个意外错误（这是程序的问题，不是您的操作失误）。"]
        if drafts:
            lines.append("您正在填写的内容已自动保存为草稿，下次打开相应页面时可以恢复。")
        if log_path is not None:
            lines.append(f"错误记录已保存到：{log_path}")
        lines.append("请将错误记录交给系统管理员。您可以继续使用，若再次出错，请退出后重新打开程序。")
        text = QLabel("\n".join(lines))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details = named(QPlainTextEdit(report), "crashDetails", "错误详情")
        details.setReadOnly(True)
        details.setVisible(False)
        toggle = named(QPushButton("显示详情"), "crashShowDetails", "显示详情")
        toggle.setCheckable(True)
        toggle.toggled.connect(details.setVisible)
        toggle.toggled.connect(lambda on: toggle.setText("隐藏详情" if on else "显示详情"))
        copy = named(QPushButton("复制错误信息"), "crashCopy", "复制错误信息")
        copy.clicked.connect(lambda: QApplication.clipboard().setText(report))
        go_on = named(QPushButton("继续使用"), "crashContinue", "继续使用")
        go_on.setDefault(True)
        go_on.clicked.connect(self.accept)
        quit_ = named(QPushButton("退出程序"), "crashQuit", "退出程序")
        quit_.clicked.connect(self._quit)
        buttons = QHBoxLayout()
        for b in (toggle, copy):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(go_on)
        buttons.addWidget(quit_)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(details, 1)
        layout.addLayout(buttons)
        self.resize(620, 260)

    def _quit(self) -> None:
        self.reject()
        QApplication.exit(70)
