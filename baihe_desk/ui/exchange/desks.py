"""工作台登记 — this desk's identity (fingerprint to read aloud, desk card), and the desks the administrator
registered: register from a desk card after comparing the fingerprint, revoke a lost laptop's key."""

from __future__ import annotations

from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.models.exchange import DeskKind
from baihe_desk.services.exchange import identity
from baihe_desk.services.exchange.preview import local_time
from baihe_desk.storage.db import Database
from baihe_desk.storage.keystore import Keystore
from baihe_desk.ui.admin.widgets import StatusLine, WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import group, hbox, vbox
from baihe_desk.ui.common.list_detail import fill_table, text_table
from baihe_desk.ui.common.qt import QLabel, QLineEdit, QMessageBox, Qt, QtWidgets, QWidget
from baihe_desk.ui.common.widgets import buddy_label, button, combo, named

CARD_FILTER = "工作台身份卡 (*.baihe-desk);;所有文件 (*)"
HEADERS = ("名称", "类型", "指纹（念读核对）", "状态", "登记时间")


class DesksTab(QWidget):
    """Only the administrator changes anything here (the services check again)."""

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exchangeDesksTab")
        self.db, self.paths, self.user = db, paths, user
        self.keystore = Keystore(paths.root)
        self.rows: list = []
        self.own = named(QLabel("…"), "ownIdentity", "本工作台身份")
        self.own.setWordWrap(True)
        self.own.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.own.setTextFormat(Qt.TextFormat.RichText)
        self.own_name = named(QLineEdit(), "ownName", "本工作台名称")
        self.own_kind = combo("ownKind", "本工作台类型", [(k.label, k) for k in DeskKind])
        self.create_button = button("生成本工作台身份", "createIdentity", slot=self.create_identity)
        self.card_button = button("保存身份卡…", "saveCard", slot=self.save_card)
        self.table = text_table("desksTable", "已登记的工作台", HEADERS)
        self.card_path = named(QLineEdit(), "cardPath", "对方的身份卡文件")
        self.card_browse = button("选择…", "cardBrowse", "选择身份卡文件", self._browse)
        self.spoken = named(QLineEdit(), "spokenFingerprint", "对方念出的指纹",
                            tip="请对方当面或电话念出其工作台显示的 20 位指纹，逐位录入")
        self.register_button = button("核对并登记(&R)", "registerDesk", slot=self.register)
        self.revoke_reason = named(QLineEdit(), "revokeReason", "撤销原因")
        self.revoke_button = button("撤销所选工作台", "revokeDesk", slot=self.revoke)
        self.status = StatusLine("desksStatus")
        mine = group("本工作台", self.own, hbox(buddy_label("名称(&N)：", self.own_name), (self.own_name, 1),
                                                   self.own_kind, self.create_button, self.card_button))
        reg = group("登记另一工作台", WrapLabel(
            "把对方的身份卡（.baihe-desk）拷到本机，请对方念出其指纹，与下面逐位核对一致后登记。"
            "指纹不符说明身份卡可能在传递中被替换，不会登记。"),
            hbox(buddy_label("身份卡(&C)：", self.card_path), (self.card_path, 1), self.card_browse),
            hbox(buddy_label("对方念出的指纹(&F)：", self.spoken), (self.spoken, 1), self.register_button))
        lst = group("已登记的工作台（被撤销的工作台发来的案件包一律拒收）", (self.table, 1),
                    hbox(buddy_label("撤销原因：", self.revoke_reason), (self.revoke_reason, 1), self.revoke_button))
        vbox(mine, reg, (lst, 1), self.status, parent=self)
        self.refresh()

    def refresh(self) -> None:
        keystore = self.keystore

        def load(s, _ctx):  # type: ignore[no-untyped-def]
            me = identity.own_identity(s, keystore)
            return (me.desk if me else None), identity.desks(s)

        run_in_background(load, parent=self, db=self.db, on_success=self._show, on_failure=self._failed)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        me, rows = result
        self.rows = [d for d in rows if not (me and d.id == me.id)]
        if me is None:
            self.own.setText("本工作台尚未生成身份密钥。填写名称、选择类型后生成（私钥保存在"
                             f"{self.keystore.backend_label()}）。")
        else:
            self.own.setText(f"<b>{me.name}</b>（{me.kind.label}）<br>指纹：<b style='font-size:16pt'>{me.fingerprint}</b>"
                             f"<br>密钥保管：{self.keystore.backend_label()}")
            self.own_name.setText(me.name)
        for w in (self.own_name, self.own_kind, self.create_button):
            w.setEnabled(me is None)
        self.card_button.setEnabled(me is not None)
        fill_table(self.table, [(d.name, d.kind.label, d.fingerprint,
                                 "有效" if d.active else f"已撤销（{d.revoked_at:%Y-%m-%d}）",
                                 local_time(d.registered_at.isoformat())) for d in self.rows])

    def _failed(self, exc: BaseException) -> None:
        self.status.error(str(exc))

    def _write(self, work, done_text: str) -> None:  # type: ignore[no-untyped-def]
        def done(result) -> None:  # type: ignore[no-untyped-def]
            self.status.ok(done_text if isinstance(done_text, str) else "")
            self.refresh()

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=self._failed)

    def create_identity(self) -> None:
        name, kind, keystore, user = self.own_name.text().strip(), self.own_kind.currentData(), self.keystore, self.user
        if not name:
            self.status.error("请填写本工作台的名称（如：白河林区法院立案庭、综治中心服务站、刘法官笔记本）。")
            return

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            identity._require_admin(s, user, "生成工作台身份")
            identity.ensure_identity(s, keystore, user, name=name, kind=kind)

        self._write(work, "已生成本工作台身份。请把身份卡交给对方管理员，并念出指纹供其核对。")

    def save_card(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "保存身份卡", str(self.paths.root / "本工作台.baihe-desk"),
                                                        CARD_FILTER)
        if not path:
            return
        keystore = self.keystore

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            me = identity.own_identity(s, keystore)
            if me is None:
                raise KnownError("本工作台尚未生成身份。")
            try:
                Path(path).write_bytes(identity.card(me.desk))
            except OSError as exc:
                raise KnownError(f"无法保存身份卡到 {path}：{exc.strerror or exc}") from exc
            return path

        run_in_background(work, parent=self, db=self.db, on_success=lambda p: self.status.ok(f"身份卡已保存到 {p}。"),
                          on_failure=self._failed)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "对方的身份卡", str(self.paths.root), CARD_FILTER)
        if path:
            self.card_path.setText(path)

    def register(self) -> None:
        path, spoken, user = self.card_path.text().strip(), self.spoken.text(), self.user
        if not path:
            self.status.error("请先选择对方的身份卡文件。")
            return

        def work(s, _ctx):  # type: ignore[no-untyped-def]
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise KnownError(f"无法读取身份卡 {path}：{exc.strerror or exc}") from exc
            return identity.register_desk(s, user, identity.read_card(data), spoken).name

        def done(name: str) -> None:
            self.status.ok(f"已登记工作台“{name}”。")
            self.spoken.clear()
            self.refresh()

        run_in_background(work, parent=self, db=self.db, write=True, on_success=done, on_failure=self._failed)

    def revoke(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.error("请先在列表中选中要撤销的工作台。")
            return
        desk = self.rows[rows[0].row()]
        answer = QMessageBox.question(self, "撤销工作台", f"撤销“{desk.name}”后，它发来的案件包一律拒收，且不能恢复。确定撤销吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        reason, user, desk_id = self.revoke_reason.text().strip(), self.user, desk.id
        self._write(lambda s, _ctx: identity.revoke_desk(s, user, desk_id, reason), f"已撤销“{desk.name}”。")
