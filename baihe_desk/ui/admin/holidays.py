"""系统管理 › 节假日 — the years the holiday/调休 table covers, and adding a year's official schedule.

The administrator types the State Council's notice as it reads (one festival per line, ranges with
至); 检查 shows what the desk understood, 保存 stores it in ``holidays.extra`` (validated and
audited by the settings registry). A year entered here replaces a shipped year of the same number.
"""

from __future__ import annotations

from datetime import date

from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import holiday_tables as sh
from baihe_desk.services.deadlines.holidays import MAX_YEAR, MIN_YEAR, parse_extra_years
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import (
    RowsModel,
    StatusLine,
    WrapLabel,
    rows_table,
    selected_row,
    show_field_errors,
)
from baihe_desk.ui.common.forms import FieldBox
from baihe_desk.ui.common.qt import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QtWidgets,
    QVBoxLayout,
    QWidget,
)
from baihe_desk.ui.common.widgets import buddy_label, named

HELP = ("按国务院办公厅通知逐条填写，每行一个节日：名称 日期，连续几天写“起 至 止”。例如：\n"
        "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n"
        "“调休上班日期”填通知中要求上班的星期六、星期日，例如：春节 2027-02-14")


def _kind(info: sh.YearInfo) -> str:
    if not info.entered:
        return "随程序提供"
    return "管理员录入（替换随程序提供的）" if info.replaces_builtin else "管理员录入"


class HolidaysTab(QWidget):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("adminHolidaysTab")
        self.db, self.user = db, user
        self.years = RowsModel([("年份", lambda i: i.year), ("录入方式", _kind), ("放假天数", lambda i: i.holidays),
                                ("调休上班", lambda i: i.workdays), ("来源", lambda i: i.source)], self)
        self.year_view = rows_table(self.years, "holidayYears", "已录入的年份")
        self.coverage = WrapLabel("")
        self.coverage.setObjectName("holidayCoverage")
        self.load_button = named(QPushButton("载入所选年份以修改"), "loadHolidayYear", "载入所选年份以修改")
        self.remove_button = named(QPushButton("删除所选年份"), "removeHolidayYear", "删除管理员录入的所选年份")

        self.year = named(QtWidgets.QSpinBox(), "holidayYear", "年份")
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setSuffix(" 年")
        self.holidays = named(QPlainTextEdit(), "holidayDates", sh.FIELD_HOLIDAYS)
        self.workdays = named(QPlainTextEdit(), "holidayWorkdays", sh.FIELD_WORKDAYS)
        self.source = named(QLineEdit(), "holidaySource", "来源")
        self.source.setPlaceholderText("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")
        for w in (self.holidays, self.workdays):
            w.setTabChangesFocus(True)
        hol_box = FieldBox(self.holidays)
        self.boxes = {sh.FIELD_HOLIDAYS: hol_box, sh.FIELD_WORKDAYS: FieldBox(self.workdays),
                      "节假日设置": hol_box}  # whole-year problems (overlaps, a weekday 调休) go under the holidays
        self.check_button = named(QPushButton("检查"), "checkHolidayYear", "检查所填安排")
        self.save_button = named(QPushButton("保存该年安排(&S)"), "saveHolidayYear", "保存该年节假日安排")
        self.summary = WrapLabel("")
        self.summary.setObjectName("holidaySummary")
        self.status = StatusLine("holidayStatus")

        left = QGroupBox("已覆盖的年份")
        lv = QVBoxLayout(left)
        lv.addWidget(self.year_view, 1)
        lv.addWidget(self.coverage)
        row = QHBoxLayout()
        row.addWidget(self.load_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lv.addLayout(row)
        right = QGroupBox("录入一年的节假日与调休安排")
        form = QFormLayout(right)
        form.addRow(buddy_label("年份(&Y)：", self.year), self.year)
        form.addRow(buddy_label("放假日期(&H)：", self.holidays), self.boxes[sh.FIELD_HOLIDAYS])
        form.addRow(buddy_label("调休上班日期(&W)：", self.workdays), self.boxes[sh.FIELD_WORKDAYS])
        form.addRow(buddy_label("来源(&O)：", self.source), self.source)
        hint = WrapLabel(HELP)
        hint.setStyleSheet("color: #555;")
        form.addRow("", hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        form.addRow("", self.summary)
        top = QHBoxLayout()
        top.addWidget(left, 2)
        top.addWidget(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.status)

        self.check_button.clicked.connect(self.check)
        self.save_button.clicked.connect(self.save)
        self.load_button.clicked.connect(self.load_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.refresh()

    def refresh(self) -> None:
        with self.db.session() as s:
            infos = sh.years_info(s)
        self.years.set_rows(infos)
        covered = {i.year for i in infos}
        this_year = date.today().year
        missing = [y for y in (this_year, this_year + 1) if y not in covered]
        first, last = (min(covered), max(covered)) if covered else (0, 0)
        text = f"节假日表覆盖 {first}–{last} 年。" if covered else "节假日表为空。"
        if missing:
            years = "、".join(str(y) for y in missing)
            text += (f"<span style='color:#8a5300'> {years} 年尚未录入：届满日落在这些年份的期限只按周末顺延，"
                     "并提示人工核对。国务院通常在上一年 11–12 月公布次年安排。</span>")
        self.coverage.setText(text)
        if not self.holidays.toPlainText().strip():
            self.year.setValue(max(last + 1, this_year) if covered else this_year)

    def _clear_errors(self) -> None:
        for box in self.boxes.values():
            box.clear_error()

    def check(self) -> bool:
        self._clear_errors()
        year = self.year.value()
        try:
            body = sh.schedule_body(year, self.holidays.toPlainText(), self.workdays.toPlainText(),
                                    self.source.text())
            sched = parse_extra_years({str(year): body})[0]
        except KnownError as exc:
            show_field_errors(exc, self.boxes, self.status)
            self.summary.setText("")
            return False
        weekdays = sum(1 for d in sched.holidays if d.weekday() < 5)
        names = "、".join(dict.fromkeys(sched.holidays.values()))
        self.summary.setText(f"{year} 年：放假 {len(sched.holidays)} 天（其中工作日 {weekdays} 天），"
                             f"调休上班 {len(sched.workdays)} 天；节日：{names}。")
        self.status.setText("")
        return True

    def save(self) -> bool:
        if not self.check():
            return False
        year = self.year.value()
        try:
            with self.db.transaction() as s:
                sh.add_year(s, self.user, year, self.holidays.toPlainText(), self.workdays.toPlainText(),
                            self.source.text())
        except KnownError as exc:
            show_field_errors(exc, self.boxes, self.status)
            return False
        self.holidays.clear()
        self.workdays.clear()
        self.source.clear()
        self.refresh()
        self.status.ok(f"已保存 {year} 年的节假日安排。此后计算的期限按新安排顺延。")
        return True

    def load_selected(self) -> bool:
        info = selected_row(self.year_view)
        if info is None:
            self.status.error("请先在左侧选中一个年份。")
            return False
        with self.db.session() as s:
            sched = sh.table(s).years[info.year]
        hol, work = sh.schedule_text(sched)
        self.year.setValue(info.year)
        self.holidays.setPlainText(hol)
        self.workdays.setPlainText(work)
        self.source.setText(sched.source)
        self.status.ok(f"已载入 {info.year} 年，修改后按“保存该年安排”。")
        return True

    def remove_selected(self) -> bool:
        info = selected_row(self.year_view)
        if info is None:
            self.status.error("请先在左侧选中一个年份。")
            return False
        try:
            with self.db.transaction() as s:
                sh.remove_year(s, self.user, info.year)
        except KnownError as exc:
            self.status.error(exc.message)
            return False
        self.refresh()
        self.status.ok(f"已删除管理员录入的 {info.year} 年安排。")
        return True
