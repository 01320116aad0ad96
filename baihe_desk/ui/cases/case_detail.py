"""案件详情 — a read-only view of one case: the case data, every party with its details, addresses
and agents, the claims and the facts. Rendered as HTML in a ``QTextBrowser`` so the clerk can select
and copy any part (e.g. an address into a letter) and a screen reader reads it as text.
"""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from baihe_desk.models import Agent, Case, Party, PartyKind, PartyRole
from baihe_desk.storage.db import Database
from baihe_desk.ui.cases.table_model import format_amount, format_date
from baihe_desk.ui.common.qt import QDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget
from baihe_desk.ui.common.widgets import named

STYLE = """
h2 { font-size: large; margin: 0 0 4px 0; }
h3 { font-size: medium; margin: 16px 0 4px 0; color: #1f3b5c; }
h4 { font-size: medium; margin: 10px 0 2px 0; }
td.k { color: #5f6368; padding: 1px 12px 1px 0; white-space: nowrap; vertical-align: top; }
td.v { padding: 1px 0; }
p.text { margin: 2px 0 6px 0; white-space: pre-wrap; }
.muted { color: #5f6368; }
"""
KEY_WIDTH = 130  # one label column width for every table, so the values line up down the page


def _rows(pairs: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><td class="k" width="{KEY_WIDTH}">{escape(k)}</td><td class="v">{escape(v)}</td></tr>'
        for k, v in pairs if v
    )
    return f"<table cellspacing='0'>{body}</table>" if body else ""


def _agent_html(a: Agent) -> str:
    authority = "特别授权" + (f"（{a.authority_detail}）" if a.authority_detail else "") \
        if a.special_authority else "一般授权"
    return f"<h4>委托诉讼代理人：{escape(a.name)}</h4>" + _rows([
        ("类别", a.agent_type), ("单位", a.organisation), ("执业证号", a.license_number),
        ("身份证号", a.id_number), ("联系电话", a.phone), ("代理权限", authority),
    ])


def _party_html(p: Party, n: int) -> str:
    head = f"<h4>{escape(p.role.label)}{n}：{escape(p.name)} <span class='muted'>（{escape(p.kind.label)}）</span></h4>"
    if p.kind is PartyKind.NATURAL:
        pairs = [("性别", p.sex), ("出生日期", format_date(p.birth_date)), ("民族", p.ethnicity),
                 ("职业", p.occupation), ("工作单位", p.work_unit), ("身份证号", p.id_number)]
    else:
        rep = "主要负责人" if p.legal_rep_is_principal else "法定代表人"
        pairs = [("统一社会信用代码", p.credit_code),
                 (rep, p.legal_rep_name + (f"（{p.legal_rep_title}）" if p.legal_rep_title else ""))]
    pairs += [("住所", p.domicile), ("联系电话", p.phone)]
    if p.domicile_region.without_domicile:  # 答辩、上诉期三十日 (民事诉讼法第二百八十五条、第二百八十六条)
        pairs.append(("住所地", f"{p.domicile_region.label}：答辩期、上诉期三十日"))
    for addr in p.addresses:
        if addr.text == p.domicile and addr.kind.value == "domicile":
            if addr.postcode:
                pairs.append(("邮政编码", addr.postcode))
            continue
        extra = "，".join(x for x in (f"邮编 {addr.postcode}" if addr.postcode else "",
                                      f"来源：{addr.source}" if addr.source else "") if x)
        pairs.append((addr.kind.label, addr.text + (f"（{extra}）" if extra else "")))
    return head + _rows(pairs) + "".join(_agent_html(a) for a in p.agents)


def case_html(case: Case, checkout: str = "") -> str:
    """The whole detail page of ``case`` (parties, addresses and agents loaded); ``checkout``: its 已借出 mark."""
    number = case.case_number or case.receipt_number
    parts = [f"<style>{STYLE}</style>", f"<h2>{escape(number)}　{escape(case.cause_name)}</h2>"]
    if checkout:
        parts.append(f"<p><b style='color:#8a5300'>{escape(checkout)}</b></p>")
    parts.append(_rows([
        ("收件号", case.receipt_number), ("案号", case.case_number or "尚未分配"),
        ("案由", case.cause_name), ("程序", case.procedure.label if case.procedure else "待定"),
        ("阶段", case.stage.label), ("标的额（元）", format_amount(case.claim_amount) or "未填写"),
        ("收件日期", format_date(case.received_on)), ("立案日期", format_date(case.filed_on)),
        ("结案日期", format_date(case.closed_on)),
    ]))
    parts.append("<h3>当事人</h3>")
    for role in PartyRole:
        of_role = [p for p in case.parties if p.role is role]
        for i, p in enumerate(of_role, start=1):
            parts.append(_party_html(p, i))
    if not case.parties:
        parts.append("<p class='muted'>（无当事人）</p>")
    parts.append("<h3>诉讼请求</h3>")
    parts.append(f"<p class='text'>{escape(case.claims) or '（未填写）'}</p>")
    parts.append("<h3>事实和理由</h3>")
    parts.append(f"<p class='text'>{escape(case.facts) or '（未填写）'}</p>")
    return "".join(parts)


def load_case_html(db: Database, case_id: uuid.UUID) -> tuple[str, str]:
    """(window title, HTML) of the case, read in one short session."""
    from baihe_desk.errors import NotFound

    with db.session() as session:
        case = session.scalar(
            select(Case).where(Case.id == case_id).options(
                selectinload(Case.parties).selectinload(Party.addresses),
                selectinload(Case.parties).selectinload(Party.agents),
            )
        )
        if case is None:
            raise NotFound("未找到该案件，可能已被删除。")
        from baihe_desk.services.exchange.export import checkout_mark

        return f"案件详情 — {case.case_number or case.receipt_number}", case_html(case, checkout_mark(session, case.id))


class CaseDetailDialog(QDialog):
    """案件详情 (read-only). Several may be open side by side to compare cases."""

    def __init__(self, db: Database, case_id: uuid.UUID, parent: QWidget | None = None, *, user: Any = None,
                 paths: Any = None):
        super().__init__(parent)
        self.case_id = case_id
        self.db, self.user, self.paths = db, user, paths
        self.history: QWidget | None = None
        title, html = load_case_html(db, case_id)
        self.setObjectName("caseDetailDialog")
        self.setAccessibleName(title)
        self.setWindowTitle(title)
        self.browser = named(QTextBrowser(), "caseDetailText", "案件详情")
        self.browser.setOpenLinks(False)
        self.browser.setHtml(html)
        close = named(QPushButton("关闭"), "caseDetailClose", "关闭")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        self.history_button = named(QPushButton("本案审计记录(&H)"), "caseHistoryOpen", "本案审计记录")
        self.history_button.clicked.connect(self.open_history)
        self.history_button.setVisible(user is not None and paths is not None and _may_see_history(db, user, case_id))
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)
        self.resize(760, 680)
        self.browser.setFocus()

    def text(self) -> str:
        return self.browser.toPlainText()

    def open_history(self) -> QWidget:
        """本案审计记录 (the case's judge and team, 庭长/分管院长, 管理员; the service checks again)."""
        from baihe_desk.ui.admin.audit_viewer import CaseHistoryDialog

        self.history = CaseHistoryDialog(self.db, self.paths, self.user, self.case_id, self)
        self.history.show()
        return self.history


def _may_see_history(db: Database, user: Any, case_id: uuid.UUID) -> bool:
    from baihe_desk.services.admin.audit_log import may_see_case_history

    with db.session() as s:
        case = s.get(Case, case_id)
        return case is not None and may_see_case_history(s, user, case)

