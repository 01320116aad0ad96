"""诉前调解（立案窗口）— the filing clerk's page: the system's suggestion with its reason and basis, the
clerk's decision (follow or override with a reason), the 诉前调解告知书 (generate, preview), the party's
answer (同意 / 不同意 and the signature date), and the assignment to an organisation and mediator.

When a mediation ends without agreement at the window (the party withdraws, the period has expired …)
the clerk records it here too and the case is filed at once. Refusal is recorded in neutral words:
the case simply goes back to filing.
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from baihe_desk.config import Paths
from baihe_desk.models import User
from baihe_desk.models.mediation import MediationOutcome, MediationStatus, PartyChoice
from baihe_desk.services.mediation import query as mediation_query
from baihe_desk.services.mediation import referral as mediation
from baihe_desk.services.mediation import views as mediation_views
from baihe_desk.services.mediation.outcome import record_outcome
from baihe_desk.services.mediation.rules import EXCLUDE, SUGGEST
from baihe_desk.storage.db import Database
from baihe_desk.ui.common.confirm import check_then_confirm
from baihe_desk.ui.common.forms import enter_advances_under
from baihe_desk.ui.common.law_panel import connect_links, linked_html
from baihe_desk.ui.common.layout import STRETCH, form, group, hbox, pane, scroll_area
from baihe_desk.ui.common.list_detail import ListDetailPage
from baihe_desk.ui.common.qt import QComboBox, QGroupBox, QLineEdit, QWidget
from baihe_desk.ui.common.widgets import button, combo, named, text_label
from baihe_desk.ui.mediation.forms import OutcomeForm, date_edit, run_write, set_date, to_date
from baihe_desk.ui.mediation.models import WindowCasesModel

KIND_COLOURS = {SUGGEST: "#1b5e20", EXCLUDE: "#c62828"}
REFER_CHOICES = (("按系统建议", None), ("引导诉前调解", True), ("不引导诉前调解", False))
WINDOW_OUTCOMES = [MediationOutcome.WITHDRAWN, MediationOutcome.REFUSED, MediationOutcome.UNREACHABLE,
                   MediationOutcome.EXPIRED]
ASSIGNABLE = (MediationStatus.AWAITING_ASSIGNMENT, MediationStatus.ASSIGNED, MediationStatus.IN_PROGRESS)


def suggestion_html(detail: mediation_views.WindowDetail) -> str:
    s = detail.suggestion
    colour = KIND_COLOURS.get(s.kind, "#5f6368")
    parts = [f"<p><b style='color:{colour}'>{escape(s.label)}</b>"]
    if s.channel_label:
        parts.append(f"　调解渠道：<b>{escape(s.channel_label)}</b>")
    parts.append(f"</p><p>{escape(s.reason)}</p>")
    parts.append("<p style='color:#5f6368'>依据：" + linked_html("；".join(s.basis)) + "</p>")
    for note in (*s.notes, *s.cautions):
        parts.append(f"<p style='color:#8a6d00'>注意：{escape(note)}</p>")
    if not s.confirmed:
        parts.append("<p style='color:#8a6d00'>本条建议规则依据二手资料或本院做法，未经权威文本确认，仅供参考。</p>")
    return "".join(parts)


class MediationReferralPage(ListDetailPage):
    """诉前调解 page for the filing window. ``MediationReferralPage(db, paths, user)``."""

    ROW_KEY = DETAIL_KEY = "case_id"
    FIND_KEY = "receipt_number"

    def __init__(self, db: Database, paths: Paths, user: User, parent: QWidget | None = None):
        super().__init__(db, paths, user, "mediationReferralPage", WindowCasesModel,
                         ("mediationWindowTable", "待立案案件与诉前调解状态"), parent)
        self.detail: mediation_views.WindowDetail | None = None
        self.exec_dialog = lambda dialog: dialog.exec()  # seam for tests
        self.confirm: Any = None  # seam for tests: confirm(title, text) -> bool; None asks in a box

        self.search = named(QLineEdit(), "mediationWindowSearch", "搜索收件案件",
                            tip="输入收件号、案由、当事人姓名或民诉前调号")
        self.search.setPlaceholderText("搜索：收件号、案由、当事人、民诉前调号（回车）")
        self.search.returnPressed.connect(self.refresh)
        self.refresh_button = button("刷新(F5)", "mediationWindowRefresh", "刷新列表", self.refresh)
        self.refresh_button.setShortcut("F5")

        self.header = text_label("请在左侧选择案件", "mediationCaseHeader")
        self.suggestion = text_label(name="mediationSuggestion", rich=True, selectable=True)
        connect_links(self.suggestion)  # 依据 opens the law panel
        self.refer = combo("referChoice", "窗口意见", REFER_CHOICES)
        self.override = named(QLineEdit(), "overrideReason", "改变建议的理由")
        self.override.setPlaceholderText("窗口意见与系统建议不同时必填")
        self.recommend_button = button("确认窗口意见", "recommendButton", "确认窗口意见", self.recommend)
        self.refer.currentIndexChanged.connect(lambda _i: self._update_override())
        self.hand_out_button = button("生成并发放告知书", "handOutNotice", "生成并发放诉前调解告知书", self.hand_out)
        self.preview_button = button("预览告知书", "previewNotice", "预览诉前调解告知书", self.preview)
        self.notice_state = text_label(name="noticeState", wrap=False)
        self.choice = combo("partyChoice", "当事人意见", [("同意诉前调解", PartyChoice.AGREE.value),
                                                       ("不同意诉前调解", PartyChoice.REFUSE.value)])
        self.choice_date = date_edit("choiceDate", "当事人签名日期")
        self.choice_button = button("登记当事人意见", "recordChoice", "登记当事人意见", self.record_choice)
        self.organisation = named(QComboBox(), "organisationCombo", "调解组织")
        self.mediator = named(QComboBox(), "mediatorCombo", "调解员")
        self.assign_button = button("委派", "assignButton", "委派调解组织和调解员", self.assign)
        self.assign_state = text_label(name="assignState")
        self.organisation.currentIndexChanged.connect(lambda _i: self._fill_mediators())
        self.end_form = OutcomeForm(WINDOW_OUTCOMES, prefix="windowOutcome")
        self.end_form.submit.setText("调解终结并立案")
        self.end_form.submitted.connect(self.end_mediation)
        self.status = text_label(name="referralStatus")

        self.boxes: dict[str, QGroupBox] = {key: group(title, *items, name=f"{key}Box") for key, title, items in (
            ("suggestion", "系统建议", [self.suggestion]),
            ("refer", "窗口意见", [form(("窗口意见(&Y)", self.refer), ("理由", self.override), self.recommend_button)]),
            ("notice", "诉前调解告知书", [hbox(self.hand_out_button, self.preview_button, STRETCH), self.notice_state]),
            ("choice", "当事人意见（回执）", [form(("当事人意见(&C)", self.choice), ("签名日期", self.choice_date),
                                             self.choice_button)]),
            ("assign", "委派调解", [form(("调解组织(&O)", self.organisation), ("调解员", self.mediator),
                                        self.assign_button), self.assign_state]),
            ("end", "调解终结（未达成协议）并立案", [self.end_form]))}
        detail = pane(self.header, *self.boxes.values(), self.status, STRETCH, margins=None)
        enter_advances_under(detail)  # Enter moves on, as Tab does
        self.set_panes("mediationReferralSplitter", pane(hbox((self.search, 1), self.refresh_button), (self.table, 1)),
                       scroll_area(detail, "mediationDetailScroll", accessible="诉前调解案件详情"), stretch=(3, 2))
        self.show_detail(None)
        self.refresh()

    def open_case(self, case_id: uuid.UUID) -> None:
        """Show a case (Ctrl+K, 工作台): its row selected when listed, its detail loaded either way."""
        if not self.select_where("case_id", case_id):
            self.load(case_id)

    def forget_case_inputs(self) -> None:
        super().forget_case_inputs()
        self.status.clear()

    # -- loading -------------------------------------------------------------------------------------------
    def list_query(self):  # type: ignore[no-untyped-def]
        text, user = self.search.text(), self.user
        return lambda s: mediation_query.window_cases(s, user, text=text)

    def detail_query(self, case_id: uuid.UUID):  # type: ignore[no-untyped-def]
        user = self.user
        return lambda s: mediation_views.window_detail(s, user, case_id)

    # -- showing ---------------------------------------------------------------------------------------------
    def show_detail(self, d: mediation_views.WindowDetail | None) -> None:
        self.detail = d
        for box in self.boxes.values():
            box.setEnabled(d is not None)
        if d is None:
            self.suggestion.setText("")
            return
        parties = "；".join(f"{p.role}：{p.name}" for p in d.parties)
        number = f"　{d.mediation_number}" if d.mediation_number else ""
        self.header.setText(f"<b>{escape(d.receipt_number)}{escape(number)}</b>　{escape(d.cause_name)}<br>"
                            f"{escape(parties)}<br>状态：{escape(d.status.label if d.status else '尚未作出建议')}")
        self.suggestion.setText(suggestion_html(d))
        status = d.status
        can_recommend = status in (None, MediationStatus.SUGGESTED, MediationStatus.NOTICE_GIVEN,
                                   MediationStatus.DECLINED, MediationStatus.NOT_REFERRED)
        self.boxes["refer"].setEnabled(can_recommend)
        self.refer.blockSignals(True)
        self.refer.clear()
        for label, value in REFER_CHOICES:
            if value is True and not d.suggestion.referable:
                continue  # 不得调解 (解释第一百四十三条): never offered
            self.refer.addItem(f"{label}（{d.suggestion.label}）" if value is None else label, value)
        self.refer.blockSignals(False)
        self._update_override()
        open_refer = status is not None and not status.closed and d.refer
        self.hand_out_button.setEnabled(open_refer)
        self.preview_button.setEnabled(bool(d.notice_relpath))
        self.notice_state.setText(
            f"已于 {d.notice_given_on} 发放（第 {d.notice_version} 版，PDF 和 Word 已存档）" if d.notice_given_on
            else "尚未发放")
        self.boxes["choice"].setEnabled(status is MediationStatus.NOTICE_GIVEN)
        if status is MediationStatus.NOTICE_GIVEN:
            set_date(self.choice_date, None)
        self.boxes["assign"].setEnabled(status in ASSIGNABLE)
        self._fill_organisations(d)
        lines = []
        if d.choice is not None:
            lines.append(f"当事人意见：{d.choice.label}（{d.choice_signed_on}）")
        if d.organisation:
            lines.append(f"已委派：{d.organisation}　调解员：{d.mediator}")
        if d.period is not None and d.period.due is not None:
            lines.append(f"调解期限：{d.period.text}（到期日 {d.period.due}）")
        self.assign_state.setText("<br>".join(escape(x) for x in lines))
        self.boxes["end"].setEnabled(status in ASSIGNABLE)
        if d.period is not None and d.period.overdue:
            self.end_form.select(MediationOutcome.EXPIRED)

    def _update_override(self) -> None:
        d = self.detail
        value = self.refer.currentData()
        differs = d is not None and value is not None and value != (d.suggestion.kind == SUGGEST)
        self.override.setEnabled(differs)

    def _fill_organisations(self, d: mediation_views.WindowDetail) -> None:
        self.organisation.blockSignals(True)
        self.organisation.clear()
        preferred = 0
        for i, org in enumerate(d.organisations):
            label = f"{org.name}（{org.location}）" if org.location else org.name
            self.organisation.addItem(label, org)
            if d.organisation_id == org.id or (d.organisation_id is None and not preferred
                                               and org.kind.value == d.suggestion.organisation_kind):
                preferred = i
        self.organisation.setCurrentIndex(preferred if d.organisations else -1)
        self.organisation.blockSignals(False)
        self._fill_mediators()

    def _fill_mediators(self) -> None:
        org = self.organisation.currentData()
        self.mediator.clear()
        for m in (org.mediators if org else ()):
            self.mediator.addItem(f"{m.name}　{m.phone}".strip(), str(m.id))
        if self.detail is not None and self.detail.mediator_id is not None:
            i = self.mediator.findData(str(self.detail.mediator_id))
            if i >= 0:
                self.mediator.setCurrentIndex(i)

    # -- actions ---------------------------------------------------------------------------------------------
    def _after(self, _result: Any = None) -> None:
        if self.detail is not None:
            self.load(self.detail.case_id)
        self.refresh()

    def recommend(self) -> None:
        d = self.detail
        if d is None:
            return
        case_id, user, refer, reason = d.case_id, self.user, self.refer.currentData(), self.override.text()

        def done(m) -> str:  # type: ignore[no-untyped-def]
            return "已记录：引导诉前调解。请发放告知书。" if m.refer else "已记录：不引导诉前调解，请继续立案审查。"

        run_write(self, self.db, lambda s: mediation.recommend(s, user, case_id, refer=refer, override_reason=reason),
                  status=self.status, busy="正在保存窗口意见…", done=done, after=self._after)

    def hand_out(self) -> None:
        d = self.detail
        if d is None or d.mediation_id is None:
            return
        mid, user, paths = d.mediation_id, self.user, self.paths
        run_write(self, self.db,
                  lambda s: [r.version for r in mediation.hand_out_notice(s, user, mid, paths=paths)],
                  status=self.status, busy="正在生成诉前调解告知书…",
                  done=lambda v: f"已生成并发放诉前调解告知书第 {v[0]} 版（PDF 和 Word）。", after=self._after)

    def notice_path(self):  # type: ignore[no-untyped-def]
        return self.paths.documents / self.detail.notice_relpath if self.detail and self.detail.notice_relpath else None

    def preview(self):  # type: ignore[no-untyped-def]
        from baihe_desk.ui.cases.documents_panel import open_pdf_preview

        path = self.notice_path()
        return open_pdf_preview(self, path, "诉前调解告知书", show=self.exec_dialog) if path is not None else None

    def record_choice(self) -> None:
        d = self.detail
        if d is None or d.mediation_id is None:
            return
        mid, user, choice, on = d.mediation_id, self.user, self.choice.currentData(), to_date(self.choice_date)

        def done(m) -> str:  # type: ignore[no-untyped-def]
            if m.choice is PartyChoice.AGREE:
                return f"当事人同意诉前调解，已立案号 {m.mediation_number}。请委派调解组织和调解员。"
            return "已登记：当事人不同意诉前调解。案件已退回立案审查，请依法及时登记立案。"

        def question(number: str | None) -> str:
            then = (f"同意诉前调解：取得案号 {number}，案件转入诉前调解" if choice == PartyChoice.AGREE.value
                    else "不同意诉前调解：案件退回立案审查")
            return f"{d.receipt_number}：登记当事人意见（{on} 签名）——{then}。\n\n登记后不能撤销。"

        check_then_confirm(  # the trial's plain number (its record is gone with the rolled-back transaction)
            self, self.db, lambda s: mediation.record_choice(s, user, mid, choice, on).mediation_number,
            title="登记当事人意见",
            text=question, confirm=self.confirm,
            on_yes=lambda: run_write(self, self.db, lambda s: mediation.record_choice(s, user, mid, choice, on),
                                     status=self.status, busy="正在登记当事人意见…", done=done, after=self._after))

    def assign(self) -> None:
        d, org = self.detail, self.organisation.currentData()
        mediator_id = uuid.UUID(self.mediator.currentData()) if self.mediator.currentData() else None
        if d is None or d.mediation_id is None or org is None or mediator_id is None:
            self.status.setText("请选择调解组织和调解员。")
            return
        mid, user = d.mediation_id, self.user
        run_write(self, self.db, lambda s: mediation.assign(s, user, mid, org.id, mediator_id),
                  status=self.status, busy="正在委派…",
                  done=lambda m: f"已委派 {m.organisation.name}，调解员 {m.mediator.name}；调解期限自调解员签收之日起算。",
                  after=self._after)

    def end_mediation(self, data) -> None:  # type: ignore[no-untyped-def]
        d = self.detail
        if d is None or d.mediation_id is None:
            return
        mid, user, receipt = d.mediation_id, self.user, d.receipt_number

        def run() -> None:
            run_write(self, self.db, lambda s: record_outcome(s, user, mid, data).number,
                      status=self.status, busy="正在登记并立案…",
                      done=lambda number: f"调解终结，已登记立案，案号 {number}。", after=self._after)

        check_then_confirm(
            self, self.db, lambda s: record_outcome(s, user, mid, data).number, title="调解终结并立案",
            text=lambda number: (f"{receipt}：以“{data.outcome.label}”（{data.on}）终结诉前调解，并立即登记立案，"
                                 f"分配民初案号（预计为 {number}）。当事人、已核实的地址随案转入。\n\n登记后不能撤销。确认吗？"),
            on_yes=run)
