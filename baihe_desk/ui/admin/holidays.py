"""系统管理 › 节假日 — the years the holiday/调休 table covers, and adding a year's official schedule.

The administrator types the State Council's notice as it reads (one festival per line, ranges with
至); 检查 shows what the desk understood, 保存 stores it in ``holidays.extra`` (validated and
audited by the settings registry). A year entered here replaces a shipped year of the same number.
"""

from __future__ import annotations

from baihe_desk.errors import KnownError
from baihe_desk.models import User
from baihe_desk.services.admin import holiday_tables as sh
from baihe_desk.services.deadlines.holidays import MAX_YEAR, MIN_YEAR, parse_extra_years
from baihe_desk.storage.db import Database
from baihe_desk.ui.admin.widgets import AdminTab, WrapLabel, selected_row, show_field_errors
from baihe_desk.ui.common.date_input import desk_today
from baihe_desk.ui.common.forms import FieldBox, text_box
from baihe_desk.ui.common.layout import STRETCH, group, hbox, vbox
from baihe_desk.ui.common.list_detail import RowsModel, rows_table
from baihe_desk.ui.common.qt import QLineEdit, QSpinBox, QWidget
from baihe_desk.ui.common.widgets import button, named

HELP = ("按国务院办公厅通知逐条填写，每行一个节日：名称 日期，连续几天写“起 至 止”。例如：\n"
        "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-13\n"
        "“调休上班日期”填通知中要求上班的星期六、星期日，例如：春节 2027-02-14")


def _kind(info: sh.YearInfo) -> str:
    if info.inferred:
        return "按放假办法推算，待国务院通知"
    if not info.entered:
        return "随程序提供"
    return "管理员录入（替换随程序提供的）" if info.replaces_builtin else "管理员录入"


class HolidaysTab(AdminTab):
    def __init__(self, db: Database, user: User, parent: QWidget | None = None):
        super().__init__(db, user, "adminHolidaysTab", "holidayStatus", parent)
        self.years = RowsModel(self, tooltips=True, columns=[
            ("年份", lambda i: i.year), ("录入方式", _kind), ("放假天数", lambda i: i.holidays),
            ("调休上班", lambda i: i.workdays), ("来源", lambda i: i.source)])
        self.year_view = rows_table(self.years, "holidayYears", "已录入的年份", tab_keys=False, alternating=True)
        self.coverage = WrapLabel("")
        self.coverage.setObjectName("holidayCoverage")
        self.load_button = button("载入所选年份以修改", "loadHolidayYear", "载入所选年份以修改", self.load_selected)
        self.remove_button = button("删除所选年份", "removeHolidayYear", "删除管理员录入的所选年份", self.remove_selected)

        self.year = named(QSpinBox(), "holidayYear", "年份")
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setSuffix(" 年")
        self.holidays = text_box("holidayDates", sh.FIELD_HOLIDAYS)
        self.workdays = text_box("holidayWorkdays", sh.FIELD_WORKDAYS)
        self.source = named(QLineEdit(), "holidaySource", "来源")
        self.source.setPlaceholderText("例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）")
        hol_box = FieldBox(self.holidays)
        self.boxes.update({sh.FIELD_HOLIDAYS: hol_box, sh.FIELD_WORKDAYS: FieldBox(self.workdays),
                           "节假日设置": hol_box})  # whole-year problems (overlaps, a weekday 调休) go under the holidays
        self.check_button = button("检查", "checkHolidayYear", "检查所填安排", self.check)
        self.save_button = button("保存该年安排(&S)", "saveHolidayYear", "保存该年节假日安排", self.save)
        self.summary = WrapLabel("")
        self.summary.setObjectName("holidaySummary")
        hint = WrapLabel(HELP)
        hint.setStyleSheet("color: #555;")

        left = group("已覆盖的年份", (self.year_view, 1), self.coverage, hbox(self.load_button, self.remove_button, STRETCH))
        right = group("录入一年的节假日与调休安排", rows=[
            ("年份(&Y)：", self.year), ("放假日期(&H)：", hol_box), ("调休上班日期(&W)：", self.boxes[sh.FIELD_WORKDAYS]),
            ("来源(&O)：", self.source), ("", hint), ("", hbox(self.check_button, self.save_button, STRETCH)),
            ("", self.summary)])
        vbox((hbox((left, 2), (right, 3)), 1), self.status, parent=self)
        self.refresh()

    def refresh(self) -> None:
        this_year = desk_today().year
        with self.db.session() as s:
            infos = sh.years_info(s, through_year=this_year + 1)
        self.years.set_rows(infos)
        covered = {i.year for i in infos if not i.inferred}
        inferred = sorted(i.year for i in infos if i.inferred)
        missing = [y for y in (this_year, this_year + 1) if y not in covered and y not in inferred]
        first, last = (min(covered), max(covered)) if covered else (0, 0)
        text = f"已录入国务院安排：{first}–{last} 年。" if covered else "节假日表为空。"
        if inferred:
            years = "、".join(str(y) for y in inferred)
            text += (f"<span style='color:#8a5300'> {years} 年按放假办法推算，待国务院通知：法定节假日及补假已计入，"
                     "调休上班日未知，相关期限提示人工核对。国务院通常在上一年 11–12 月公布次年安排，公布后请在右侧录入"
                     "（录入的安排取代推算）。</span>")
        if missing:
            years = "、".join(str(y) for y in missing)
            text += (f"<span style='color:#8a5300'> {years} 年尚未录入：届满日落在这些年份的期限只按周末顺延，"
                     "并提示人工核对。</span>")
        self.coverage.setText(text)
        if not self.holidays.toPlainText().strip():
            self.year.setValue(max(last + 1, this_year) if covered else this_year)

    def check(self) -> bool:
        self.clear_errors()
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
        year, holidays, workdays, source = (self.year.value(), self.holidays.toPlainText(), self.workdays.toPlainText(),
                                            self.source.text())
        if not self.save_fields(lambda s: sh.add_year(s, self.user, year, holidays, workdays, source))[0]:
            return False
        self.holidays.clear()
        self.workdays.clear()
        self.source.clear()
        self.refresh()
        self.status.ok(f"已保存 {year} 年的节假日安排。此后计算的期限按新安排顺延。")
        return True

    def _selected(self) -> sh.YearInfo | None:
        info = selected_row(self.year_view)
        if info is None:
            self.status.error("请先在左侧选中一个年份。")
        return info

    def load_selected(self) -> bool:
        info = self._selected()
        if info is None:
            return False
        with self.db.session() as s:
            sched = sh.table(s).schedule(info.year)
        if sched is None:
            return False
        hol, work = sh.schedule_text(sched)
        self.year.setValue(info.year)
        self.holidays.setPlainText(hol)
        self.workdays.setPlainText(work)
        self.source.setText("" if sched.inferred else sched.source)  # a notice names itself
        self.status.ok(f"已载入 {info.year} 年，修改后按“保存该年安排”。")
        return True

    def remove_selected(self) -> bool:
        info = self._selected()
        return info is not None and self.write(lambda s: sh.remove_year(s, self.user, info.year),
                                               f"已删除管理员录入的 {info.year} 年安排。")
