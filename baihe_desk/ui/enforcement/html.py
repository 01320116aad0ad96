"""执行咨询的阅读视图 — one consultation and its reply as HTML (for a ``QTextBrowser``), built inside a
session on the worker thread and handed to the UI as text. ``case_exchange_html`` gives a case's whole
exchange (every sent consultation with its 执行建议 and the adoption) for the case detail view.

No Qt here: plain strings, so the text can also be tested without widgets.
"""

from __future__ import annotations

import uuid
from datetime import date
from html import escape

from sqlalchemy.orm import Session

from baihe_desk.models import Case, User
from baihe_desk.models.enforcement import ConsultStatus, EnforcementConsultation
from baihe_desk.services.enforcement.consultation import holiday_table
from baihe_desk.services.enforcement.documents import attachment_label, money, term_elements
from baihe_desk.services.enforcement.enforceability import Gap
from baihe_desk.services.enforcement.queries import case_consultations, reply_clock
from baihe_desk.ui.common.law_panel import linked_html

STYLE = """
h2 { font-size: large; margin: 0 0 4px 0; }
h3 { font-size: medium; margin: 14px 0 4px 0; color: #1f3b5c; }
td.k { color: #5f6368; padding: 1px 12px 1px 0; white-space: nowrap; vertical-align: top; }
p { margin: 2px 0 4px 0; }
.muted { color: #5f6368; }
.gap { color: #b3261e; }
.hint { color: #8a5a00; }
.ok { color: #1e6e37; }
.warn { color: #b3261e; font-weight: bold; }
"""
CLOCK_CLASS = {"overdue": "warn", "late": "warn", "soon": "hint", "ok": "muted", "replied": "ok", "none": "muted"}


def _e(text: object) -> str:
    return escape(str(text or "")).replace("\n", "<br>")


def _rows(pairs: list[tuple[str, str]]) -> str:
    body = "".join(f'<tr><td class="k" width="110">{_e(k)}</td><td>{v}</td></tr>' for k, v in pairs if v)
    return f"<table cellspacing='0'>{body}</table>"


def user_name(session: Session, user_id: uuid.UUID | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else ""


def consultation_html(session: Session, c: EnforcementConsultation, *, today: date, heading: bool = True) -> str:
    """The consultation, the checker's findings at sending, the reply clock, the reply and the adoption."""
    case = session.get(Case, c.case_id)
    assert case is not None
    clock = reply_clock(c, today, holiday_table(session))
    parts = [f"<style>{STYLE}</style>"] if heading else []
    title = f"执行咨询函 {c.number}" if c.number else "执行咨询函（草稿）"
    parts.append(f"<h2>{_e(title)}　<span class='muted'>{_e(c.status.label)}</span></h2>")
    parts.append(_rows([
        ("案件", _e(f"{case.case_number or case.receipt_number}　{case.cause_name}")),
        ("条款类别", _e(c.terms_kind.label)), ("审理阶段", _e(c.stage_note)),
        ("咨询法官", _e(user_name(session, c.consulting_user_id))), ("咨询部门", _e(c.from_department)),
        ("联系电话", _e(c.contact_phone)), ("发送日期", _e(c.sent_on.isoformat() if c.sent_on else "")),
        ("回复期限", f"<span class='{CLOCK_CLASS[clock.level]}'>{_e(clock.text)}</span>" if clock.text else ""),
    ]))
    parts.append("<h3>当事人及已知财产</h3>")
    for p in c.parties:
        ident = f"，{_e(p.id_code)}" if p.id_code else ""
        parts.append(f"<p><b>{_e(p.role_label)}：{_e(p.name)}</b>{ident}<br>"
                     f"<span class='muted'>已知财产：</span>{_e(p.assets) or '暂未掌握'}</p>")
    parts.append(f"<h3>{_e(c.terms_kind.label)}</h3>")
    for t in c.terms:
        parts.append(f"<p><b>{t.seq}．</b>{_e(t.text) or '（未填写条款全文）'}<br>"
                     f"<span class='muted'>{_e('；'.join(term_elements(t)))}</span></p>")
    if c.questions:
        parts.append("<h3>请求研究的问题</h3>")
        parts += [f"<p>{i}．{_e(q)}</p>" for i, q in enumerate(c.questions, 1)]
    if c.attachments:
        parts.append("<h3>附件</h3>")
        parts += [f"<p>{i}．{_e(attachment_label(a))}<span class='muted'>　{_e(a.get('ref'))}</span></p>"
                  for i, a in enumerate(c.attachments, 1)]
    if c.gaps_at_send:
        parts.append("<h3>发送时的可执行性检查提示</h3>")
        for g in map(Gap.from_dict, c.gaps_at_send):
            parts.append(f"<p class='{g.severity}'>{_e(g.where())}【{_e(g.severity_label)}】{_e(g.message)}<br>"
                         f"<span class='muted'>依据：{linked_html('；'.join(g.basis))}</span></p>")
    if c.advice is not None and (c.advice.submitted_at is not None or c.status is not ConsultStatus.SENT):
        parts.append(advice_html(session, c))
    return "".join(parts)


def advice_html(session: Session, c: EnforcementConsultation) -> str:
    a = c.advice
    assert a is not None
    officer = user_name(session, a.submitted_by_id or a.drafted_by_id)
    parts = [f"<h3>执行建议 {_e(a.number or '（草稿）')}</h3>",
             _rows([("执行局承办人", _e(officer)), ("回复日期", _e(c.replied_on.isoformat() if c.replied_on else "")),
                    ("联系电话", _e(a.contact_phone))])]
    closed = c.status.closed
    for i in a.items:
        adopted = ""
        if closed and i.is_suggestion:
            mark = "已采纳" if i.adopted else "未采纳"
            adopted = f"<br><span class='{'ok' if i.adopted else 'hint'}'>【{mark}】{_e(i.adoption_note)}</span>"
        if i.term_seq is not None:
            verdict = i.verdict.label if i.verdict else "（未选择）"
            parts.append(f"<p><b>第{i.term_seq}项：{_e(verdict)}</b>"
                         + (f"<br>理由：{_e(i.reason)}" if i.reason else "")
                         + (f"<br>建议表述：{_e(i.suggestion)}" if i.suggestion else "") + adopted + "</p>")
        elif i.measure is not None:
            fee = (f"<br><span class='muted'>保全申请费：{_e(money(i.fee))}（拟保全 {_e(money(i.amount))}）"
                   f"　{_e(i.fee_detail)}</span>") if i.fee is not None else ""
            parts.append(f"<p><b>建议措施：{_e(i.measure.label)}</b><br>{_e(i.suggestion)}{fee}{adopted}</p>")
    parts.append(f"<p><span class='muted'>财产线索：</span>{_e(a.property_clues) or '暂未掌握'}</p>")
    if a.risk_notes:
        parts.append(f"<p><span class='muted'>风险提示：</span>{_e(a.risk_notes)}</p>")
    for n, q in enumerate(c.questions or [], 1):
        answer = a.answers[n - 1] if n - 1 < len(a.answers or []) else ""
        parts.append(f"<p>问题{n}：{_e(q)}<br>答：{_e(answer)}</p>")
    if closed:
        parts.append(f"<h3>采纳情况：{_e(c.status.label)}</h3>"
                     f"<p>{_e(user_name(session, c.adoption_by_id))}　{_e(c.adoption_note)}</p>")
    return "".join(parts)


def case_exchange_html(session: Session, case_id: uuid.UUID, *, today: date) -> str:
    """A case's whole exchange with the enforcement bureau ("" when there is none)."""
    items = case_consultations(session, case_id)
    if not items:
        return ""
    body = "<hr>".join(consultation_html(session, c, today=today, heading=False) for c in items)
    return f"<style>{STYLE}</style><h3>执行咨询（{len(items)} 件）</h3>{body}"
