"""系统管理 › 文书字体 — font families per role of a document, with a live sample.

For what is typed (before saving), the sample shows per role the installed font file the PDF will
embed (the document engine's own resolution), the name written into Word files, a line of text drawn
with that very file, and which check characters (生僻字, configurable) no font of the chain has.
The scan of the installed fonts runs in the background.
"""

from __future__ import annotations

from pathlib import Path

from baihe_desk.config import Paths
from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import court, settings
from baihe_desk.services.admin.fonts import FontReport, RoleFont, font_report
from baihe_desk.services.admin.settings_catalogue import CHECK_CHARS_KEY, FONT_KEY, FONT_ROLE_KEYS
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import ERROR_COLOR, OK_COLOR, AdminTab, WrapLabel
from baihe_desk.ui.common.background import run_in_background
from baihe_desk.ui.common.layout import STRETCH, hbox, pane, scroll_area, vbox
from baihe_desk.ui.common.qt import (
    QFont,
    QFontDatabase,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    Qt,
    QWidget,
)
from baihe_desk.ui.common.widgets import button, single_shot

KEYS = (*FONT_ROLE_KEYS, FONT_KEY + "dirs", CHECK_CHARS_KEY, "documents.page_numbers")
_loaded_fonts: dict[str, list[str]] = {}


def qt_font_for(role: RoleFont, point_size: int = 16) -> QFont | None:
    """A QFont drawn from exactly the file the PDF will embed (loaded into the application once)."""
    if not role.path:
        return None
    families = _loaded_fonts.get(role.path)
    if families is None:
        font_id = QFontDatabase.addApplicationFont(role.path)
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        _loaded_fonts[role.path] = families
    if not families:
        return None
    font = QFont(families[role.index] if role.index < len(families) else families[0])
    font.setPointSize(point_size)
    return font


class FontsTab(AdminTab):
    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminFontsTab", "fontStatus", parent)
        self.paths = paths
        self.report: FontReport | None = None
        self.checks = 0  # finished sample checks (tests wait on it)
        self._pending = False
        self._running = False

        form_box = QGroupBox("字体设置（每项按优先顺序列出字体名，用“、”或逗号分隔）")
        rows = QFormLayout(form_box)
        for key in KEYS:
            self.add_setting(rows, settings.definition(key))
        sample_box = QGroupBox("字体示例（按上面填写的内容，保存前即可查看）")
        self.grid = QGridLayout(sample_box)
        self.grid.setColumnStretch(1, 1)
        self.samples: dict[str, tuple[QLabel, QLabel]] = {}
        for i, key in enumerate(k for k in FONT_ROLE_KEYS if k != FONT_KEY + "fallback"):
            role = key.removeprefix(FONT_KEY)
            sample, info = WrapLabel(""), WrapLabel("")
            sample.setObjectName(f"fontSample_{role}")
            info.setObjectName(f"fontInfo_{role}")
            info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.grid.addWidget(QLabel(settings.definition(key).label), i * 2, 0)
            self.grid.addWidget(sample, i * 2, 1)
            self.grid.addWidget(info, i * 2 + 1, 1)
            self.samples[role] = (sample, info)
        self.overall = WrapLabel("")
        self.overall.setObjectName("fontOverall")
        self.grid.addWidget(self.overall, len(self.samples) * 2, 0, 1, 2)

        self.save_button = button("保存文书字体(&S)", "saveFonts", "保存文书字体", self.save)
        self.refresh_button = button("刷新示例", "refreshFontSample", "刷新字体示例", self.refresh_sample)
        vbox((scroll_area(pane(form_box, sample_box, STRETCH, margins=None)), 1), self.status,
             hbox(self.save_button, self.refresh_button, STRETCH), parent=self)
        self.timer = single_shot(self, 500, self.refresh_sample)
        for f in self.fields.values():
            if isinstance(f.input, QLineEdit):
                f.input.textEdited.connect(lambda _t: self.timer.start())
        self.save_on_ctrl_s(self.save)
        self.load()

    def load(self) -> None:
        with self.db.session() as s:
            current = settings.values(s, KEYS)
            profile = court.get_profile(s)
            self.court_name = profile.name if profile else ""
        for key, f in self.fields.items():
            f.set_value(current[key])
        self.clear_errors()
        self.loaded = self.values()
        self.refresh_sample()

    def values(self) -> dict[str, object]:
        return {key: f.value() for key, f in self.fields.items()}

    # -- sample -----------------------------------------------------------------------------------
    def refresh_sample(self) -> None:
        if self._running:
            self._pending = True
            return
        families: dict[str, list[str]] = {}
        try:
            for key in FONT_ROLE_KEYS:
                families[key.removeprefix(FONT_KEY)] = settings.validate(key, self.fields[key].value())
            dirs = [self.paths.root / "fonts",
                    *(Path(d) for d in settings.validate(FONT_KEY + "dirs", self.fields[FONT_KEY + "dirs"].value()))]
            check = settings.validate(CHECK_CHARS_KEY, self.fields[CHECK_CHARS_KEY].value())
        except KnownError as exc:
            self.overall.setText(f"<span style='color:{ERROR_COLOR}'>{exc.message}</span>")
            return
        name = self.court_name
        self._running = True
        self.refresh_button.setEnabled(False)

        def work(_ctx):  # type: ignore[no-untyped-def]
            return font_report(families, dirs, check, name)

        def done() -> None:
            self._running = False
            self.refresh_button.setEnabled(True)
            self.checks += 1
            if self._pending:
                self._pending = False
                self.refresh_sample()

        run_in_background(work, parent=self, on_success=self.show_report,
                          on_failure=lambda exc: self.overall.setText(str(exc)), on_finally=done)

    def show_report(self, report: FontReport) -> None:
        self.report = report
        for r in report.roles:
            sample, info = self.samples[r.role]
            if r.error:
                sample.setText("")
                info.setText(f"<span style='color:{ERROR_COLOR}'>{r.error}</span>")
                continue
            font = qt_font_for(r)
            if font is not None:
                sample.setFont(font)
            sample.setText(r.sample)
            lines = [f"嵌入字体文件：{r.path}" + (f"（第 {r.index + 1} 个字体）" if r.index else ""),
                     f"PDF 使用：{r.family}；Word 文件中写为：{r.docx_family}"]
            if not r.configured_found:
                lines.append(f"<span style='color:#8a5300'>所列字体本机都没有安装，改用后备字体 {r.family}</span>")
            if r.fallback:
                chars = "、".join(f"{c}（{fam}）" for c, fam in r.fallback)
                lines.append(f"由后备字体显示：{chars}")
            if r.missing:
                chars = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in r.missing)
                lines.append(f"<span style='color:{ERROR_COLOR}'>本机所有相关字体都缺少：{chars}"
                             "（含这些字的文书将无法生成）</span>")
            info.setText("<br>".join(lines))
        if report.ok:
            self.overall.setText(f"<span style='color:{OK_COLOR}'>各类文字都有可嵌入的字体，检查用字均能显示。</span>")
        else:
            missing = "、".join(f"U+{ord(c):04X}" for c in report.missing)
            self.overall.setText(f"<span style='color:{ERROR_COLOR}'>有字体问题"
                                 f"{'：缺少 ' + missing if missing else ''}。请安装相应字体或调整设置。</span>")

    # -- save -------------------------------------------------------------------------------------
    def save(self) -> bool:
        changes = {k: v for k, v in self.values().items() if v != self.loaded.get(k)}
        ok, changed = self.save_fields(lambda s: settings.set_many(s, self.user, changes))
        if ok:
            self.load()
            labels = [settings.definition(k).label for k in changed]
            self.status.ok(f"已保存：{'、'.join(labels)}。此后生成的文书使用新设置。" if labels else "没有改动。")
        return ok
