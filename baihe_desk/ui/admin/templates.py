"""系统管理 › 文书模板 — the document engineer's template editor, embedded as a tab.

:class:`~baihe_desk.ui.admin.template_editor.TemplateEditorDialog` is used as it is (open, edit, 预览,
保存为新版本, 回退); embedded, it is a plain widget: its 关闭 button is hidden and Esc does not
hide it. Its preview folder is removed when the tab goes away.
"""

from __future__ import annotations

import shutil

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.template_editor import TemplateEditorDialog
from baihe_desk.ui.common.qt import QLabel, Qt, QVBoxLayout, QWidget


class EmbeddedTemplateEditor(TemplateEditorDialog):
    """The dialog as a child widget of a tab."""

    def reject(self) -> None:  # Esc in a tab must not hide the editor
        pass


class TemplatesTab(QWidget):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminTemplatesTab")
        self.editor = EmbeddedTemplateEditor(db, paths, user, self)
        self.editor.setWindowFlags(Qt.WindowType.Widget)
        self.editor.close_button.hide()
        hint = QLabel("每次保存都生成新版本，此后生成的文书使用最新版本；已生成的文书记录其使用的版本，不受影响。"
                      "回退即把所选旧版本的文字另存为最新版本。")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        tmp = self.editor._tmp  # the editor's preview folder (its done() would remove it)
        self.destroyed.connect(lambda *_: shutil.rmtree(tmp, ignore_errors=True))
