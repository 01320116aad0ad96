"""收件登记 through the form, typed as a clerk types it, then checked in the database."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from baihe_desk.models import Address, AuditRecord, Case, Party, PartyKind, PartyRole
from baihe_desk.services.deadlines.clocks import today_local
from baihe_desk.ui.common import crash
from baihe_desk.ui.common.qt import QApplication, Qt, QWidget
from baihe_desk.ui.filing.intake_form import IntakeForm, draft_file
from tests.ui.helpers import commit_text, credit_code, id_number, key, type_text

PLAINTIFF_ID = id_number("220222", date(1985, 3, 14), "01", male=True)
DEFENDANT_CODE = credit_code("91222426MA0Y3B5K7")


@pytest.fixture
def form(qtbot, db, clerk, paths):
    f = IntakeForm(db, clerk, paths)
    qtbot.addWidget(f)
    f.resize(1100, 900)
    f.show()
    qtbot.waitExposed(f)
    return f


def pick_cause(qtbot, form, initials: str, name: str) -> None:
    form.cause.setFocus()
    qtbot.keyClicks(form.cause, initials)
    popup = form.cause.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    model = popup.model()
    names = [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
    assert name in names
    qtbot.waitUntil(lambda: popup.currentIndex().row() == 0)  # the best match is current: Enter takes it
    assert form.cause.text() == initials  # … but what was typed stays until then
    if names.index(name):
        for _ in range(names.index(name) + 1):  # the first Down selects the current row
            key(popup, Qt.Key.Key_Down)
    key(popup, Qt.Key.Key_Return)
    assert form.cause.text() == name


def save_refused(qtbot, form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Click 保存 and wait until the form shows the errors that refused it; returns them."""
    failed = []
    form.show_errors = (lambda orig: lambda errs: (failed.append(errs), orig(errs)))(form.show_errors)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
    return failed[0]


def save_accepted(qtbot, form, *, by_keys: bool = False) -> tuple:  # type: ignore[no-untyped-def]
    """Save (a click on 保存, or Ctrl+S) and wait until the case is saved; returns (case id, 收件号)."""
    saved = []
    form.saved.connect(lambda cid, receipt: saved.append((cid, receipt)))
    if by_keys:
        key(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    return saved[0]


def fill_case(qtbot, form, *, plaintiff_id: str = PLAINTIFF_ID) -> None:
    pick_cause(qtbot, form, "mjjd", "民间借贷纠纷")
    form.procedure.setCurrentIndex(form.procedure.findText("简易程序"))
    form.amount.setFocus()
    qtbot.keyClicks(form.amount, "50000")
    type_text(form.claims, "1.请求判令被告偿还借款本金50000元；\n2.本案诉讼费由被告负担。")
    type_text(form.facts, "2023年5月，被告因经营需要向原告借款，至今未还。")

    p = form.parties.editors[0]
    type_text(p.field("name"), "王堃")
    p.field("id_number").setFocus()
    qtbot.keyClicks(p.field("id_number"), plaintiff_id)
    key(p.field("id_number"), Qt.Key.Key_Return)  # Enter: next field; leaving it checks the number
    type_text(p.field("ethnicity"), "满族")
    type_text(p.field("occupation"), "个体经营者")
    type_text(p.field("domicile"), "吉林省安图县二道白河镇白山大街8号")
    p.field("postcode").setFocus()
    qtbot.keyClicks(p.field("postcode"), "133613")
    p.field("phone").setFocus()
    qtbot.keyClicks(p.field("phone"), "13943312345")

    qtbot.mouseClick(p.add_agent_button, Qt.MouseButton.LeftButton)
    agent = p.agents[0]
    type_text(agent.field("name"), "张律")
    type_text(agent.field("organisation"), "吉林白河律师事务所")
    agent.field("license_number").setFocus()
    qtbot.keyClicks(agent.field("license_number"), "12224201710123456")
    agent.special.setChecked(True)

    d = form.parties.editors[1]
    d.kind_combo.setFocus()
    key(d.kind_combo, Qt.Key.Key_Down)  # 自然人 → 法人或非法人组织
    assert d.kind is PartyKind.ORGANISATION
    type_text(d.field("name"), "白河林业物业服务有限公司")
    d.field("credit_code").setFocus()
    qtbot.keyClicks(d.field("credit_code"), DEFENDANT_CODE.lower())  # lower case is normalised
    type_text(d.field("legal_rep_name"), "刘长青")
    type_text(d.field("legal_rep_title"), "总经理")
    type_text(d.field("domicile"), "吉林省安图县二道白河镇林苑小区物业楼")
    d.field("phone").setFocus()
    qtbot.keyClicks(d.field("phone"), "0433-5712345")


def test_type_text_puts_chinese_into_line_and_text_edits(qtbot, form):
    type_text(form.amount, "壹万")
    assert form.amount.text() == "壹万"
    type_text(form.claims, "请求判令𠇔某某返还")
    assert form.claims.toPlainText() == "请求判令𠇔某某返还"
    name = form.parties.editors[0].field("name")
    commit_text(name, "王堃")  # the input-method path works too
    assert name.text() == "王堃"


def test_cause_type_ahead_by_pinyin_initials(qtbot, form):
    pick_cause(qtbot, form, "mjjd", "民间借贷纠纷")
    assert form.cause.code() == form.cause.cause.code
    assert "借款合同纠纷" in form.cause_path.text()
    key(form.cause, Qt.Key.Key_Return)  # a second Enter moves on
    assert form.procedure.hasFocus()


def test_cause_type_ahead_by_chinese_and_choosing_another_entry(qtbot, form):
    form.cause.setFocus()
    type_text(form.cause, "租赁")
    popup = form.cause.completer().popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.currentIndex().row() == 0)
    names = [popup.model().index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(popup.model().rowCount())]
    assert names[:3] == ["租赁合同纠纷", "土地租赁合同纠纷", "房屋租赁合同纠纷"]
    key(popup, Qt.Key.Key_Down)
    assert form.cause.text() == names[0]  # the highlighted entry shows in the field
    key(popup, Qt.Key.Key_Down)
    key(popup, Qt.Key.Key_Return)
    assert form.cause.text() == names[1]


def test_id_number_fills_birth_date_and_sex_on_leaving_the_field(qtbot, form):
    p = form.parties.editors[0]
    p.field("id_number").setFocus()
    qtbot.keyClicks(p.field("id_number"), id_number("220222", date(1990, 12, 1), "12", male=False).lower())
    key(p.field("id_number"), Qt.Key.Key_Tab)
    assert p.field("birth_date").value() == date(1990, 12, 1)
    assert p.field("sex").currentText() == "女"
    assert not p.boxes["id_number"].has_error


def test_create_case_through_the_form(qtbot, form, db, clerk):
    fill_case(qtbot, form)
    assert form.parties.editors[0].field("sex").currentText() == "男"
    case_id, receipt = save_accepted(qtbot, form)
    assert receipt == f"{today_local().year}收00001"
    assert form.result.isVisible() and receipt in form.result.text.text()
    # the form is empty again, ready for the next case
    assert form.cause.text() == "" and form.claims.toPlainText() == ""
    assert [e.is_blank() for e in form.parties.editors] == [True, True]

    with db.session() as s:
        case = s.scalar(select(Case).where(Case.id == case_id).options(
            selectinload(Case.parties).selectinload(Party.addresses),
            selectinload(Case.parties).selectinload(Party.agents)))
        assert case.receipt_number == receipt
        assert case.cause_name == "民间借贷纠纷" and case.cause_code
        assert case.procedure.label == "简易程序"
        assert case.claim_amount == Decimal("50000.00")
        assert case.claims.startswith("1.请求判令被告偿还借款本金50000元；\n2.")
        assert case.created_by_id == clerk.id
        plaintiff, defendant = case.parties
        assert (plaintiff.role, plaintiff.kind, plaintiff.name) == (PartyRole.PLAINTIFF, PartyKind.NATURAL, "王堃")
        assert plaintiff.id_number == PLAINTIFF_ID
        assert (plaintiff.birth_date, plaintiff.sex, plaintiff.ethnicity) == (date(1985, 3, 14), "男", "满族")
        assert plaintiff.phone == "13943312345"
        assert "wangkun" in plaintiff.name_pinyin
        assert [(a.kind.value, a.text, a.postcode) for a in plaintiff.addresses] == [
            ("domicile", "吉林省安图县二道白河镇白山大街8号", "133613")]
        (agent,) = plaintiff.agents
        assert (agent.name, agent.agent_type, agent.organisation) == ("张律", "律师", "吉林白河律师事务所")
        assert agent.special_authority and "放弃" in agent.authority_detail
        assert (defendant.role, defendant.kind) == (PartyRole.DEFENDANT, PartyKind.ORGANISATION)
        assert defendant.name == "白河林业物业服务有限公司"
        assert defendant.credit_code == DEFENDANT_CODE
        assert (defendant.legal_rep_name, defendant.legal_rep_title) == ("刘长青", "总经理")
        assert defendant.phone == "0433-5712345"
        assert [a.text for a in defendant.addresses] == ["吉林省安图县二道白河镇林苑小区物业楼"]
        audit = s.scalars(select(AuditRecord).where(AuditRecord.action == "case.create")).all()
        assert [(r.entity_id, r.username) for r in audit] == [(str(case_id), clerk.username)]
        assert {p["name"] for p in audit[0].after["parties"]} == {"王堃", "白河林业物业服务有限公司"}
        assert s.scalars(select(Address)).all().__len__() == 2


def test_invalid_id_number_is_shown_next_to_the_field_and_nothing_is_lost(qtbot, form, db):
    bad = PLAINTIFF_ID[:-1] + ("0" if PLAINTIFF_ID[-1] != "0" else "1")
    fill_case(qtbot, form, plaintiff_id=bad)
    p = form.parties.editors[0]
    # quiet check on leaving the field
    assert p.boxes["id_number"].has_error
    assert "校验码" in p.boxes["id_number"].error_text()
    before = form.to_draft()
    save_refused(qtbot, form)
    errors = form.errors_shown()
    assert list(errors) == ["party0.id_number"]
    assert "校验码" in errors["party0.id_number"]
    assert p.boxes["id_number"].error.isVisible()
    assert p.field("id_number").accessibleDescription() == errors["party0.id_number"]
    assert form.summary.isVisible() and "1 处" in form.summary.text()
    assert p.field("id_number").hasFocus()
    after = form.to_draft()
    before.pop("saved_at"), after.pop("saved_at")
    assert after == before  # nothing typed was lost
    with db.session() as s:
        assert s.scalars(select(Case)).all() == []
    # correcting the number clears its error; saving now works
    p.field("id_number").clear()
    qtbot.keyClicks(p.field("id_number"), PLAINTIFF_ID)
    assert not p.boxes["id_number"].has_error
    save_accepted(qtbot, form, by_keys=True)


def test_missing_fields_are_each_marked(qtbot, form, db):
    type_text(form.parties.editors[1].field("name"), "李某")
    save_refused(qtbot, form)
    shown = form.errors_shown()
    assert {"cause", "claims", "party0.name"} <= set(shown)
    assert form.case_boxes["cause"].error.isVisible()
    assert form.field("cause").hasFocus()
    assert form.parties.editors[1].field("name").text() == "李某"


def test_draft_saved_by_the_crash_handler_is_offered_next_time(qtbot, form, db, clerk, paths):
    type_text(form.claims, "请求判令被告返还借款")
    type_text(form.parties.editors[0].field("name"), "王堃")
    handler = crash.CrashHandler(paths, show_dialog=False)
    try:
        raise RuntimeError("模拟程序错误")
    except RuntimeError as exc:
        handler.handle(type(exc), exc, exc.__traceback__)
    assert handler.last_drafts == [draft_file(paths, clerk)]
    assert handler.last_log is not None and "模拟程序错误" in handler.last_log.read_text(encoding="utf-8")
    saved = json.loads((draft_file(paths, clerk)).read_text(encoding="utf-8"))
    assert saved["parties"][0]["name"] == "王堃"

    again = IntakeForm(db, clerk, paths)
    qtbot.addWidget(again)
    again.show()
    assert again.draft_banner.isVisible()
    qtbot.mouseClick(again.draft_banner.restore_button, Qt.MouseButton.LeftButton)
    assert again.claims.toPlainText() == "请求判令被告返还借款"
    assert again.parties.editors[0].field("name").text() == "王堃"
    assert not (draft_file(paths, clerk)).exists()
    assert not again.draft_banner.isVisible()


def test_enter_moves_to_the_next_field(qtbot, form):
    form.amount.setFocus()
    key(form.amount, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is form.received_on or form.received_on.isAncestorOf(
        QApplication.focusWidget())
    p = form.parties.editors[0]
    p.field("name").setFocus()
    key(p.field("name"), Qt.Key.Key_Return)
    assert p.field("id_number").hasFocus()


def test_agent_and_credit_code_errors_land_next_to_their_fields(qtbot, form):
    from baihe_desk.services.filing import causes

    form.cause.set_cause(causes.find("mjjd")[0])
    type_text(form.claims, "请求判令被告支付物业费。")
    p = form.parties.editors[0]
    type_text(p.field("name"), "王堃")
    agent = p.add_agent()
    type_text(agent.field("name"), "张律")
    agent.field("phone").setFocus()
    qtbot.keyClicks(agent.field("phone"), "12345")
    d = form.parties.editors[1]
    d.set_kind(PartyKind.ORGANISATION)
    type_text(d.field("name"), "白河林业物业服务有限公司")
    d.field("credit_code").setFocus()
    qtbot.keyClicks(d.field("credit_code"), DEFENDANT_CODE[:-1] + ("0" if DEFENDANT_CODE[-1] != "0" else "1"))
    save_refused(qtbot, form)
    shown = form.errors_shown()
    assert set(shown) == {"party0.agent0.phone", "party1.credit_code"}
    assert agent.boxes["phone"].error.isVisible()
    assert "校验码" in shown["party1.credit_code"]
    assert agent.field("phone").text() == "12345"


def test_parties_are_added_numbered_removed_and_switch_kind(qtbot, form):
    parts = form.parties
    qtbot.mouseClick(parts.add_buttons[PartyRole.THIRD_PARTY], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(parts.add_buttons[PartyRole.PLAINTIFF], Qt.MouseButton.LeftButton)
    assert [e.title() for e in parts.editors] == ["原告1", "原告2", "被告1", "第三人1"]
    assert parts.editors[1].field("name").hasFocus()  # the new party's first field
    type_text(parts.editors[1].field("name"), "赵二")
    qtbot.mouseClick(parts.editors[0].remove_button, Qt.MouseButton.LeftButton)
    assert [e.title() for e in parts.editors] == ["原告1", "被告1", "第三人1"]
    assert parts.editors[0].field("name").text() == "赵二"
    assert parts.editors[0].field("name").accessibleName() == "原告1 姓名"
    assert not parts.editors[0].remove_button.isEnabled()  # the last plaintiff stays
    d = parts.editors[1]
    assert d.field("id_number").isVisibleTo(form) and not d.field("credit_code").isVisibleTo(form)
    d.set_kind(PartyKind.ORGANISATION)
    assert not d.field("id_number").isVisibleTo(form) and d.field("credit_code").isVisibleTo(form)
    assert d.labels["name"].text() == "名称："
    assert d.field("name").accessibleName() == "被告1 名称"
    assert [p.role for p in form.value().parties] == [PartyRole.PLAINTIFF, PartyRole.DEFENDANT,
                                                      PartyRole.THIRD_PARTY]


def test_clear_keeps_the_content_as_a_draft(qtbot, form, paths):
    type_text(form.facts, "被告至今未还。")
    qtbot.mouseClick(form.clear_button, Qt.MouseButton.LeftButton)
    assert form.facts.toPlainText() == ""
    assert form.draft_banner.isVisible() and "已清空" in form.draft_banner.text.text()
    qtbot.mouseClick(form.draft_banner.restore_button, Qt.MouseButton.LeftButton)
    assert form.facts.toPlainText() == "被告至今未还。"


def test_a_locked_database_is_a_calm_message_and_nothing_is_lost(qtbot, form, monkeypatch):
    from baihe_desk.errors import DatabaseError
    from baihe_desk.services.filing import intake

    def locked(*args, **kwargs):
        raise DatabaseError("数据库正被其他操作占用，请稍后再试。刚才的内容尚未保存，请勿关闭窗口，稍候重试即可。")

    monkeypatch.setattr(intake, "create_case", locked)
    type_text(form.claims, "请求判令被告偿还借款。")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.findChild(QWidget, "messageBox") is not None, timeout=10_000)
    box = form.findChild(QWidget, "messageBox")
    assert "数据库正被其他操作占用" in box.text()
    box.close()
    assert form.claims.toPlainText() == "请求判令被告偿还借款。"
    assert form.save_button.isEnabled() and form.save_button.text() == "保存登记"


def test_enter_walks_through_combo_boxes_and_dates(qtbot, form):
    p = form.parties.editors[0]
    chain = ["sex", "birth_date", "ethnicity", "occupation", "work_unit", "domicile", "postcode", "phone"]
    p.field(chain[0]).setFocus()
    for here, there in zip(chain, chain[1:], strict=False):
        w = QApplication.focusWidget()
        key(w, Qt.Key.Key_Return)
        target = p.field(there)
        focused = QApplication.focusWidget()
        assert focused is target or target.isAncestorOf(focused), (here, there, focused)


def test_each_user_has_their_own_draft(qtbot, form, db, clerk, users, paths):
    from baihe_desk.models import Role

    type_text(form.claims, "甲书记员未写完的诉讼请求")
    assert form.save_draft() == draft_file(paths, clerk)
    other = IntakeForm(db, users[Role.ADMIN], paths)
    qtbot.addWidget(other)
    assert other.draft_path != form.draft_path and not other.draft_path.exists()
    assert other.claims.toPlainText() == ""  # nothing of the clerk's draft is offered to another user


def test_fields_stay_in_place_when_the_errors_appear(qtbot, form):
    """Messages under the fields and the summary line take their room from the start: the clerk's next
    click still lands on the field it aimed at after a refused save."""
    from PySide6.QtCore import QPoint

    fields = [w for w in form.findChildren(QWidget) if w.objectName() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
              and w.isVisible() and w.window() is form]
    where = {id(w): w.mapTo(form, QPoint(0, 0)) for w in fields}
    save_refused(qtbot, form)  # an empty form: a message under many fields
    QApplication.processEvents()
    assert len(form.errors_shown()) >= 3
    moved = [w.objectName() for w in fields if w.mapTo(form, QPoint(0, 0)) != where[id(w)]]
    assert moved == []
